// The adapter asks its RequestGate once per HTTP request it sends (each list page, each operation
// wait or poll, each write), in the request's quota group and scope, because that is what Google's
// quotas count: what the emulator received, method by method, is what the gate admitted.
import { createGcpPort, newRequestId, type GcpPort } from '../../functions/gcp/adapter';
import type { GoogleRequest, QuotaGroup, RequestGate } from '../../functions/gcp/request-gate';
import { parseEnvironment } from '../../functions/config/environment';
import { refOf } from '../../functions/reconcile/desired';
import { startEmulator, totalCalls, type Emulator } from './index';
import { declaredService, demoMesh } from './test-mesh';
import { PROJECT, REGION, SELF_PRINCIPAL as SELF } from '../support/identity';

const scope = { project: PROJECT, region: REGION };
/** More than one page of 500 for every list. */
const services = Array.from({ length: 501 }, (_, i) => {
  const id = String(i).padStart(4, '0');
  return declaredService(`svc-${id}`, `svc-${id}-lb`, `10.${1 + (i >> 8)}.${i & 255}.100`);
});

let emulator: Emulator;
let port: GcpPort;
let admitted: GoogleRequest[];
let refused: GoogleRequest[];
let answeredCount: number;
const recordingGate: RequestGate = {
  async admit(request) {
    admitted.push(request);
    return () => void (answeredCount += 1);
  },
  refused: (request) => void refused.push(request),
};

beforeAll(async () => {
  // Operations take a while, so a Cloud Run update is polled more than once.
  emulator = await startEmulator({ seed: demoMesh(...services), operationDelayMs: 400 });
  port = createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: SELF, gate: recordingGate });
  await port.warm();
});
afterAll(async () => {
  await port.close();
  await emulator.stop();
});
beforeEach(() => {
  emulator.reset();
  admitted = [];
  refused = [];
  answeredCount = 0;
});

const counted = (group: QuotaGroup) => admitted.filter((r) => r.group === group).length;
const received = (method: RegExp) => totalCalls(emulator.requests(), { method });

it('a list of two pages is two list requests, each admitted and answered', async () => {
  await port.list('forwardingRule', scope);
  await port.listServices(scope);
  expect(admitted).toEqual([
    { group: 'compute.list', ...scope },
    { group: 'compute.list', ...scope },
    { group: 'run.read', ...scope },
    { group: 'run.read', ...scope },
  ]);
  expect(received(/forwardingRules\.list$/)).toBe(2);
  expect(received(/ListServices$/)).toBe(2);
  expect(answeredCount).toBe(4);
});

it("the project's aggregated list of forwarding rules is a list request per page, each admitted on its own", async () => {
  const regions = await port.forwardingRuleRegions(PROJECT, 'INTERNAL_MANAGED');
  expect(regions).toEqual([REGION]);
  // 501 rules at 500 a page: two pages, counted in the project (the aggregated list has no region).
  expect(admitted).toEqual([
    { group: 'compute.list', project: PROJECT, region: '' },
    { group: 'compute.list', project: PROJECT, region: '' },
  ]);
  expect(received(/forwardingRules\.aggregatedList$/)).toBe(2);
  expect(answeredCount).toBe(2);
});

it('a compute write is the write and each operation wait; a Cloud Run update is the update and each operation poll', async () => {
  const rule = refOf(services[0]!, 'forwardingRule');
  await port.delete('forwardingRule', rule, newRequestId());
  await port.setIngress({ ...scope, service: 'svc-0000' }, 'internal-and-cloud-load-balancing', '');
  expect(counted('compute.write')).toBe(received(/forwardingRules\.delete$/));
  expect(counted('compute.operationRead')).toBe(received(/Operations\.wait$/));
  expect(counted('compute.operationRead')).toBeGreaterThanOrEqual(1);
  expect(counted('run.write')).toBe(received(/UpdateService$/));
  expect(counted('run.read')).toBe(received(/GetOperation$/));
  // 400 ms of operation polled from 100 ms, ×1.3: more than one poll.
  expect(counted('run.read')).toBeGreaterThan(1);
  // Nothing the emulator received went unadmitted, nothing admitted was left unanswered.
  expect(admitted).toHaveLength(totalCalls(emulator.requests()));
  expect(answeredCount).toBe(admitted.length);
});

it('tells the gate which request Google refused for rate, and only those', async () => {
  emulator.quotas.set({ compute: { read: 1 } });
  const address = refOf(services[1]!, 'address');
  await port.get('address', address);
  await expect(port.get('address', address)).rejects.toMatchObject({ httpStatus: 403, reason: 'rateLimitExceeded' });
  await expect(port.get('neg', { ...scope, project: 'other-project', name: 'missing' })).resolves.toBeNull();
  expect(refused).toEqual([{ group: 'compute.read', ...scope }]);
  expect(answeredCount).toBe(3);
});
