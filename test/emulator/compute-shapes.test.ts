// Each recorded real Compute resource (test/fixtures/real/custodian-flight-*.json) against what the
// emulator returns for the same kind: every recorded field is there with the same JSON type and
// value format, or is listed below with why a regional INTERNAL_MANAGED serverless chain has none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from './index';
import { demoMesh } from './test-mesh';
import { PROJECT, REGION } from '../support/identity';

const REAL = join(__dirname, '../fixtures/real');
const REGION_PATH = `projects/${PROJECT}/regions/${REGION}`;

const RECORDED: Array<[string, string, Record<string, string>]> = [
  [
    'custodian-flight-loadbalancer-forwarding-rule-labels_get-compute-v1-projects-cloud-custodian-regions-us-central1-forwardingRules-c7n-forwarding-rule-default-d536_1.json',
    'forwardingRules/internal-lb-frontend',
    { labels: 'set only when someone labels the rule' },
  ],
  [
    'custodian-flight-loadbalancer-address-labels_get-compute-v1-projects-cloud-custodian-regions-us-central1-addresses-c7n-address-default-59ea_1.json',
    'addresses/internal-lb-ip',
    { labels: 'set only when someone labels the address' },
  ],
  [
    'custodian-flight-lb-backend-services-get_get-compute-v1-projects-cloud-custodian-global-backendServices-common-backend-service-0_1.json',
    'backendServices/internal-lb-backend-svc',
    {
      connectionDraining: 'not sent by mesh-remediator; its default on serverless backends is unverified',
      enableCDN: 'Cloud CDN is for global external backends',
      port: 'serverless NEGs have no ports',
      portName: 'serverless NEGs have no ports',
      healthChecks: 'refused on serverless NEG backends',
    },
  ],
  [
    'custodian-flight-lb-url-maps-get_get-compute-v1-projects-cloud-custodian-global-urlMaps-custodian-load-balancer-0_1.json',
    'urlMaps/internal-lb-url-map',
    {},
  ],
  [
    'custodian-flight-lb-target-http-proxies-get_get-compute-v1-projects-cloud-custodian-global-targetHttpProxies-custodian-load-balancer-0-target-proxy_1.json',
    'targetHttpProxies/internal-lb-target-proxy',
    {},
  ],
];

/** The value format of a field: what must match between Google's resource and the emulator's. */
function format(key: string, value: unknown): string {
  if (typeof value !== 'string') return Array.isArray(value) ? 'array' : typeof value;
  if (key === 'id') return /^\d+$/.test(value) ? 'numeric string' : 'string';
  if (key === 'creationTimestamp') return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/.test(value) ? 'pacific time' : 'time?';
  if (/fingerprint$/i.test(key)) return Buffer.from(value, 'base64').length === 8 ? 'base64 of 8 bytes' : 'string';
  if (value.startsWith('https://www.googleapis.com/compute/v1/projects/')) return 'v1 URL';
  return 'string';
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 0 });
});
afterAll(() => emulator.stop());

test.each(RECORDED)('%s: the emulator has every recorded field in the same format', async (file, path, absent) => {
  const recorded = (JSON.parse(readFileSync(join(REAL, file), 'utf8')) as { body: Record<string, unknown> }).body;
  const ours = (await (await fetch(`${emulator.url}/compute/v1/${REGION_PATH}/${path}`)).json()) as Record<string, unknown>;
  const missing = Object.keys(recorded).filter((key) => !(key in ours) && !(key in absent));
  expect(missing).toEqual([]);
  const formats = Object.keys(recorded)
    .filter((key) => key in ours && key !== 'region')
    .map((key) => `${key}: ${format(key, recorded[key])}`);
  expect(
    Object.keys(recorded)
      .filter((key) => key in ours && key !== 'region')
      .map((key) => `${key}: ${format(key, ours[key])}`),
  ).toEqual(formats);
  if ('region' in recorded) expect(ours.region).toBe(`https://www.googleapis.com/compute/v1/${REGION_PATH}`);
  // Field names of the backends agree too.
  const backends = (body: Record<string, unknown>) =>
    Object.keys(((body.backends as Array<Record<string, unknown>> | undefined) ?? [{}])[0] ?? {});
  if (path.startsWith('backendServices')) expect(backends(ours).filter((k) => !backends(recorded).includes(k))).toEqual([]);
});
