// gcloud is an independent client of the Compute surface: describe, list and delete through
// `api_endpoint_overrides/compute`, no credentials. Skipped with a visible message where gcloud
// is absent. gcloud is slow to start (~7 s here), so the calls run side by side.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from './index';
import { demoMesh } from './test-mesh';
import { findOnPath } from '../support/on-path';
import { testOrSkip } from '../support/test-or-skip';

const hasGcloud = findOnPath('gcloud') !== undefined;
const maybe = testOrSkip(hasGcloud, 'no `gcloud` on PATH (install the Google Cloud CLI to run it)');

let emulator: Emulator;
let configDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 50 });
  configDir = mkdtempSync(join(tmpdir(), 'gcloud-config-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(configDir, { recursive: true, force: true });
});

function gcloud(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
    CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${emulator.url}/compute/v1/`,
    // Cloud Run v1 is regional: gcloud prefixes the region to the override's host, so the emulator is also its proxy.
    CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN: `${emulator.url}/`,
    CLOUDSDK_PROXY_TYPE: 'http',
    CLOUDSDK_PROXY_ADDRESS: '127.0.0.1',
    CLOUDSDK_PROXY_PORT: String(emulator.port),
    CLOUDSDK_CORE_PROJECT: 'demo-project',
    CLOUDSDK_CORE_CHECK_GCE_METADATA: 'false',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
  };
  return new Promise((resolve) => {
    execFile('gcloud', args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

maybe(
  'gcloud compute describe, list and delete talk to the emulator',
  async () => {
    const [describe, list, describeMissing, deletion] = await Promise.all([
      gcloud('compute', 'backend-services', 'describe', 'internal-lb-backend-svc', '--region', 'asia-northeast1', '--format=json'),
      gcloud('compute', 'target-http-proxies', 'list', '--regions', 'asia-northeast1', '--format=value(name,urlMap.basename())'),
      gcloud('compute', 'url-maps', 'describe', 'ghost-map', '--region', 'asia-northeast1', '--format=json'),
      // gcloud waits for the delete's operation itself before it reports success
      gcloud('compute', 'forwarding-rules', 'delete', 'internal-lb-frontend', '--region', 'asia-northeast1', '--quiet'),
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

maybe(
  'gcloud run services describe and update --update-annotations work through the emulator as proxy (Cloud Run v1)',
  async () => {
    emulator.reset();
    const annotate = await gcloud(
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
    const describe = await gcloud('run', 'services', 'describe', 'server-service', '--region', 'asia-northeast1', '--format=json');
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
