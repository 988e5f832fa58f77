// gcloud is an independent client of the Compute surface: describe, list and delete through
// `api_endpoint_overrides/compute`, no credentials. Skipped with a visible message where gcloud
// is absent. gcloud is slow to start (~7 s here), so the calls run side by side.
import { startEmulator, type Emulator } from './index';
import { demoMesh } from './test-mesh';
import { Gcloud, gcloudTest } from '../support/gcloud';

let emulator: Emulator;
let gcloud: Gcloud;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 50 });
  gcloud = new Gcloud(emulator, 'demo-project');
});
afterAll(async () => {
  await emulator.stop();
  gcloud?.close();
});

gcloudTest(
  'gcloud compute describe, list and delete talk to the emulator',
  async () => {
    const [describe, list, describeMissing, deletion] = await Promise.all([
      gcloud.run('compute', 'backend-services', 'describe', 'internal-lb-backend-svc', '--region', 'asia-northeast1', '--format=json'),
      gcloud.run('compute', 'target-http-proxies', 'list', '--regions', 'asia-northeast1', '--format=value(name,urlMap.basename())'),
      gcloud.run('compute', 'url-maps', 'describe', 'ghost-map', '--region', 'asia-northeast1', '--format=json'),
      // gcloud waits for the delete's operation itself before it reports success
      gcloud.run('compute', 'forwarding-rules', 'delete', 'internal-lb-frontend', '--region', 'asia-northeast1', '--quiet'),
    ]);
    expect(describe.code).toBe(0);
    expect(JSON.parse(describe.stdout)).toMatchObject({
      name: 'internal-lb-backend-svc',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [
        {
          group:
            'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1/networkEndpointGroups/internal-lb-neg',
        },
      ],
    });
    expect(list.stdout.trim()).toBe('internal-lb-target-proxy\tinternal-lb-url-map');
    expect(describeMissing.code).not.toBe(0);
    expect(describeMissing.stderr).toContain(
      "The resource 'projects/demo-project/regions/asia-northeast1/urlMaps/ghost-map' was not found",
    );
    expect(deletion.code).toBe(0);
    expect(deletion.stderr).toContain(
      'Deleted [https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1/forwardingRules/internal-lb-frontend]',
    );
    expect(emulator.state().compute).not.toHaveProperty([
      'projects/demo-project/regions/asia-northeast1/forwardingRules/internal-lb-frontend',
    ]);
    expect(emulator.mutations.map((m) => m.methodName)).toEqual(['v1.compute.forwardingRules.delete']);
    const last = emulator.audit.entries.find((e) => e.operation?.last);
    expect(last?.protoPayload.requestMetadata.callerSuppliedUserAgent).toContain('gcloud');
  },
  90_000,
);

gcloudTest(
  'gcloud run services describe and update --update-annotations work through the emulator as proxy (Cloud Run v1)',
  async () => {
    emulator.reset();
    const annotate = await gcloud.run(
      'run',
      'services',
      'update',
      'server-service',
      '--region',
      'asia-northeast1',
      '--update-annotations',
      'mesh-remediator/paused-until=2026-12-01T00:00:00Z',
    );
    expect(annotate.code).toBe(0);
    const describe = await gcloud.run('run', 'services', 'describe', 'server-service', '--region', 'asia-northeast1', '--format=json');
    expect(describe.code).toBe(0);
    expect(JSON.parse(describe.stdout).metadata.annotations).toMatchObject({
      'mesh-remediator/paused-until': '2026-12-01T00:00:00Z',
      'run.googleapis.com/ingress': 'internal',
    });
    const v2 = await (await fetch(`${emulator.url}/v2/projects/demo-project/locations/asia-northeast1/services/server-service`)).json();
    expect(v2.annotations).toEqual({ 'mesh-remediator/paused-until': '2026-12-01T00:00:00Z' });
    expect(emulator.mutations.map((m) => m.methodName)).toEqual(['google.cloud.run.v1.Services.ReplaceService']);
  },
  90_000,
);
