// What Compute fills in and how it reads fingerprints, over plain HTTP as gcloud and curl call it.
import { startEmulator, type Emulator } from './index';
import { demoMesh } from './test-mesh';
import { computeTime } from './compute';
import { PROJECT, REGION } from '../support/identity';

const REGION_PATH = `projects/${PROJECT}/regions/${REGION}`;
const BASE = `https://www.googleapis.com/compute/v1/${REGION_PATH}`;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 0 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${emulator.url}/compute/v1/${REGION_PATH}/${path}`, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test('a forwarding rule inserted without IPProtocol or networkTier reads back TCP / PREMIUM, with selfLinkWithId and a numeric-string id', async () => {
  await call('DELETE', 'forwardingRules/internal-lb-frontend');
  const inserted = await call('POST', 'forwardingRules', {
    name: 'internal-lb-frontend',
    IPAddress: '10.0.0.100',
    portRange: '80',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    network: 'projects/demo-project/global/networks/test-vpc',
    subnetwork: `${REGION_PATH}/subnetworks/test-subnet`,
    target: `${REGION_PATH}/targetHttpProxies/internal-lb-target-proxy`,
  });
  expect(inserted.status).toBe(200);
  const { json: rule } = await call('GET', 'forwardingRules/internal-lb-frontend');
  expect(rule).toMatchObject({
    kind: 'compute#forwardingRule',
    IPProtocol: 'TCP',
    networkTier: 'PREMIUM',
    portRange: '80-80',
    description: '',
    region: `https://www.googleapis.com/compute/v1/${REGION_PATH}`,
    selfLink: `${BASE}/forwardingRules/internal-lb-frontend`,
    selfLinkWithId: `${BASE}/forwardingRules/${rule.id}`,
    labelFingerprint: '42WmSpB8rSM=',
  });
  expect(rule.id).toMatch(/^\d{15,20}$/);
  expect(rule.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/);
});

test('a backend service carries timeoutSec 30 and its users in usedBy; an address its users and status', async () => {
  const { json: backend } = await call('GET', 'backendServices/internal-lb-backend-svc');
  expect(backend).toMatchObject({
    timeoutSec: 30,
    sessionAffinity: 'NONE',
    affinityCookieTtlSec: 0,
    usedBy: [{ reference: `${BASE}/urlMaps/internal-lb-url-map` }],
    backends: [{ group: `${BASE}/networkEndpointGroups/internal-lb-neg`, balancingMode: 'UTILIZATION', capacityScaler: 1 }],
  });
  const { json: address } = await call('GET', 'addresses/internal-lb-ip');
  expect(address).toMatchObject({ status: 'IN_USE', users: [`${BASE}/forwardingRules/internal-lb-frontend`], networkTier: 'PREMIUM' });
});

test('fingerprints are taken in the URL-safe alphabet as gcloud sends them', async () => {
  // Find a state whose fingerprint has a character that differs between the two alphabets.
  let fingerprint = '';
  for (let attempt = 0; attempt < 50 && !/[+/]/.test(fingerprint); attempt++) {
    fingerprint = (await call('GET', 'urlMaps/internal-lb-url-map')).json.fingerprint as string;
    if (!/[+/]/.test(fingerprint)) await call('PATCH', 'urlMaps/internal-lb-url-map', { fingerprint, description: `round ${attempt}` });
  }
  expect(fingerprint).toMatch(/[+/]/);
  const urlSafe = fingerprint.replace(/\+/g, '-').replace(/\//g, '_');
  const patched = await call('PATCH', 'urlMaps/internal-lb-url-map', { fingerprint: urlSafe, description: 'url-safe' });
  expect(patched.status).toBe(200);
  expect((await call('GET', 'urlMaps/internal-lb-url-map')).json.description).toBe('url-safe');
  const stale = await call('PATCH', 'urlMaps/internal-lb-url-map', { fingerprint: urlSafe, description: 'stale' });
  expect(stale.status).toBe(412);
});

test('timestamps are US Pacific with the offset of the day', () => {
  expect(computeTime(new Date('2026-01-15T12:00:00.000Z'))).toBe('2026-01-15T04:00:00.000-08:00');
  expect(computeTime(new Date('2026-05-04T14:44:45.936Z'))).toBe('2026-05-04T07:44:45.936-07:00');
});
