// Cloud Run Admin v1 (Knative) on the state v2 serves: the regional namespaces path (by Host, as
// gcloud's proxy requests carry it), replaceService rules, and the audit entries, against the
// shapes of the recorded v1 ReplaceService entry (test/fixtures/real/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startEmulator, type Emulator } from './index';
import { demoMesh } from './test-mesh';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 0 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const PATH = '/apis/serving.knative.dev/v1/namespaces/demo-project/services/server-service';

/** An absolute-form request through the emulator as gcloud's proxy sends it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function viaProxy(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port: emulator.port,
        method,
        path: `http://asia-northeast1-127.0.0.1:${emulator.port}${path}`,
        headers: { host: `asia-northeast1-127.0.0.1:${emulator.port}`, 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) as Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

test('GET answers a Knative Service with the recorded field names: ingress annotations, numeric namespace, resourceVersion, Ready conditions', async () => {
  const { status, json } = await viaProxy('GET', PATH);
  expect(status).toBe(200);
  const recorded = JSON.parse(
    readFileSync(join(__dirname, '../fixtures/real/run-v1-ReplaceService-success.nakamasato.logentry.json'), 'utf8'),
  ).protoPayload.response;
  expect(Object.keys(json).sort()).toEqual(
    Object.keys(recorded)
      .filter((k) => k !== '@type')
      .sort(),
  );
  for (const part of ['metadata', 'status'] as const) {
    for (const key of Object.keys(recorded[part])) expect(json[part]).toHaveProperty([key]);
  }
  expect(json.metadata.namespace).toMatch(/^\d{12}$/);
  expect(json.metadata.annotations).toMatchObject({
    'run.googleapis.com/ingress': 'internal',
    'run.googleapis.com/ingress-status': 'internal',
  });
  expect(json.metadata.labels).toEqual({ 'cloud.googleapis.com/location': 'asia-northeast1' });
  expect(json.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
    'Ready=True',
    'ConfigurationsReady=True',
    'RoutesReady=True',
  ]);
  // the number works as the namespace too
  expect((await viaProxy('GET', PATH.replace('demo-project', json.metadata.namespace))).status).toBe(200);
});

test('replaceService changes v2 ingress and annotations, writes one entry without operation, then a system_event', async () => {
  const { json: service } = await viaProxy('GET', PATH);
  service.metadata.annotations['run.googleapis.com/ingress'] = 'all';
  service.metadata.annotations['mesh-remediator/paused-until'] = '2026-12-01T00:00:00Z';
  const put = await viaProxy('PUT', PATH, service);
  expect(put.status).toBe(200);
  expect(put.json.metadata.generation).toBe(service.metadata.generation + 1);
  const v2 = await (await fetch(`${emulator.url}/v2/projects/demo-project/locations/asia-northeast1/services/server-service`)).json();
  expect(v2).toMatchObject({ ingress: 'INGRESS_TRAFFIC_ALL', annotations: { 'mesh-remediator/paused-until': '2026-12-01T00:00:00Z' } });
  expect(v2.latestCreatedRevision).toBe(v2.latestReadyRevision); // an ingress change makes no revision
  const [activity, system] = emulator.audit.entries;
  expect(emulator.audit.entries).toHaveLength(2);
  expect(activity).toMatchObject({
    logName: 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity',
    severity: 'NOTICE',
    protoPayload: {
      methodName: 'google.cloud.run.v1.Services.ReplaceService',
      resourceName: 'namespaces/demo-project/services/server-service',
      request: {
        '@type': 'type.googleapis.com/google.cloud.run.v1.ReplaceServiceRequest',
        name: 'projects/demo-project/locations/asia-northeast1/services/server-service',
        region: 'asia-northeast1',
      },
      response: { '@type': 'type.googleapis.com/google.cloud.run.v1.Service', kind: 'Service' },
    },
  });
  expect(activity!.operation).toBeUndefined();
  expect(system).toMatchObject({
    logName: 'projects/demo-project/logs/cloudaudit.googleapis.com%2Fsystem_event',
    severity: 'INFO',
    protoPayload: {
      methodName: '/Services.ReplaceService',
      status: { message: 'Ready condition status changed to True for Service server-service.' },
    },
  });
  expect(system!.protoPayload).not.toHaveProperty('authenticationInfo');
});

test('a stale resourceVersion is 409 ABORTED; a changed template under the current revision name is 409 ALREADY_EXISTS; both audited as refused', async () => {
  const { json: service } = await viaProxy('GET', PATH);
  const stale = structuredClone(service);
  await viaProxy('PUT', PATH, service);
  const conflict = await viaProxy('PUT', PATH, stale);
  expect(conflict.status).toBe(409);
  expect(conflict.json.error).toMatchObject({ code: 409, status: 'ABORTED' });

  const { json: fresh } = await viaProxy('GET', PATH);
  fresh.spec.template.metadata.name = fresh.status.latestCreatedRevisionName;
  fresh.spec.template.spec.containers[0].image = 'us-docker.pkg.dev/cloudrun/container/other';
  const reused = await viaProxy('PUT', PATH, fresh);
  expect(reused.status).toBe(409);
  expect(reused.json.error.message).toBe(
    `Revision named '${fresh.status.latestCreatedRevisionName}' with different configuration already exists.`,
  );
  const refusals = emulator.audit.entries.filter((e) => e.severity === 'ERROR');
  expect(refusals.map((e) => e.protoPayload.status.code)).toEqual([10, 6]);
});

test('a Knative path on a host without a region is refused, as the global endpoint has no namespaces', async () => {
  const res = await fetch(emulator.url + PATH);
  expect(res.status).toBe(404);
});
