// Changes made the usual way, with Google's own client: gcloud (528) against the emulator, as
// test/emulator/README.md sets it up (Cloud Run v1 through the emulator as gcloud's HTTP proxy).
// The v1 audit entry gcloud's ingress change produces, fed to the function, restores internal
// ingress; a rule created without --ip-protocol shows no drift; a serverless backend refuses a
// timeout as Google does. Skipped with a visible message where gcloud is absent.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_POLICY } from '../../functions/config/mesh';
import { emulatorEnv, runCli } from '../cli/cli-harness';
import { startEmulator, type Emulator } from '../emulator';
import { declaredService } from '../emulator/test-mesh';
import { Gcloud, gcloudTest } from '../support/gcloud';
import { DriftActor } from '../support/drift-actor';
import { envelope } from '../support/envelopes';
import { SELF_PRINCIPAL } from '../support/identity';
import { writeMesh } from '../support/mesh-file';

const service = declaredService();
const V2 = `/v2/projects/${service.project}/locations/${service.region}/services/${service.service}`;
let emulator: Emulator;
let gcloud: Gcloud;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { services: [service], policy: DEFAULT_POLICY }, operationDelayMs: 20 });
  gcloud = new Gcloud(emulator, service.project);
}, 60_000);
afterAll(async () => {
  await emulator.stop();
  gcloud?.close();
});
beforeEach(() => emulator.reset());

/** The function's HTTP entry (Functions Framework test server), reading this mesh and emulator. */
async function loadFunction(): Promise<{ events: Server; close(): void }> {
  const meshFile = writeMesh([service]);
  Object.assign(process.env, emulator.env, { MESH_CONFIG: meshFile.path, SELF_PRINCIPAL, DRY_RUN: '' });
  delete process.env.SLACK_WEBHOOK_URL;
  let events: Server | undefined;
  jest.isolateModules(() => {
    require('../../functions/index');
    const { getTestServer } = require('@google-cloud/functions-framework/testing');
    events = getTestServer('remediateDrift').listen(0, '127.0.0.1');
  });
  const server = events as Server;
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return { events: server, close: () => server.close() };
}

const ingressOf = async (): Promise<string> => ((await (await fetch(emulator.url + V2)).json()) as { ingress: string }).ingress;

gcloudTest(
  'gcloud run services update --ingress=all writes one v1 audit entry that, fed to the function, restores internal ingress',
  async () => {
    const update = await gcloud.run('run', 'services', 'update', service.service, '--region', service.region, '--ingress=all');
    expect(update.stderr).toContain('has been updated');
    expect(update.code).toBe(0);
    expect(await ingressOf()).toBe('INGRESS_TRAFFIC_ALL');
    await emulator.audit.flush();
    const replace = emulator.audit.entries.filter((e) => e.protoPayload.methodName === 'google.cloud.run.v1.Services.ReplaceService');
    expect(replace).toHaveLength(1);
    const entry = replace[0]!;
    expect(entry.operation).toBeUndefined();
    expect(entry.protoPayload.resourceName).toBe(`namespaces/${service.project}/services/${service.service}`);
    expect(entry.protoPayload.request.service.metadata.annotations['run.googleapis.com/ingress']).toBe('all');
    expect(emulator.audit.entries.map((e) => e.protoPayload.methodName)).toEqual([
      'google.cloud.run.v1.Services.ReplaceService',
      '/Services.ReplaceService',
    ]);

    const fn = await loadFunction();
    try {
      const d = envelope(entry, 'raw-push', 'msg-gcloud-1');
      const res = await fetch(`http://127.0.0.1:${(fn.events.address() as AddressInfo).port}${d.path}`, {
        method: 'POST',
        headers: d.headers,
        body: new Uint8Array(d.body),
      });
      await res.arrayBuffer();
      expect(res.status).toBeLessThan(300);
    } finally {
      fn.close();
    }
    expect(await ingressOf()).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(emulator.mutations.map((m) => `${m.methodName} by ${m.principal}`)).toEqual([
      'google.cloud.run.v1.Services.ReplaceService by alice@example.com',
      `google.cloud.run.v2.Services.UpdateService by ${SELF_PRINCIPAL}`,
    ]);
  },
  180_000,
);

gcloudTest(
  'a forwarding rule created by gcloud without --ip-protocol shows no drift; a serverless backend refuses --timeout=60',
  async () => {
    // Made room for by the emulator's REST surface: gcloud's own delete is checked in test/emulator/gcloud.test.ts.
    await new DriftActor(emulator.url).deleteResource(service, 'forwardingRule');
    const [created, timeout] = await Promise.all([
      gcloud.run(
        'compute',
        'forwarding-rules',
        'create',
        service.loadBalancer.names.forwardingRule,
        '--region',
        service.region,
        '--load-balancing-scheme=INTERNAL_MANAGED',
        '--network=test-vpc',
        '--subnet=test-subnet',
        '--address=10.0.0.100',
        '--ports=80',
        `--target-http-proxy=${service.loadBalancer.names.targetProxy}`,
        `--target-http-proxy-region=${service.region}`,
      ),
      gcloud.run(
        'compute',
        'backend-services',
        'update',
        service.loadBalancer.names.backendService,
        '--region',
        service.region,
        '--timeout=60',
      ),
    ]);
    expect(created.code).toBe(0);
    expect(timeout.code).not.toBe(0);
    expect(timeout.stderr).toContain(
      "Invalid value for field 'resource.timeoutSec': '60'. Timeout sec is not supported for a backend service with Serverless network endpoint groups.",
    );

    const meshFile = writeMesh([service]);
    const diff = await runCli(['diff', '--config', meshFile.path], { env: emulatorEnv(emulator) });
    expect({ code: diff.code, stdout: diff.stdout }).toEqual({ code: 0, stdout: `${service.key}: no drift\n` });
  },
  180_000,
);
