// Google refuses the repair for a reason a retry cannot fix soon: permission
// denied (403), quota exhausted (429 RESOURCE_EXHAUSTED on every call), an organization policy
// forbidding the ingress (400 FAILED_PRECONDITION). The function must make a bounded number of
// attempts (counted at the emulator, in its audit log of refused calls), then acknowledge the
// event (2xx, so Pub/Sub stops redelivering) and raise an ERROR/ALERT line: no retry storm.
//
// Budgets: a permanent refusal is tried once (twice if first read as a stale token) and the event
// acknowledged at once. A quota 429 is transient to the reconciler (per-minute quotas do free up),
// so each delivery retries it DEFAULT_RETRY.maxAttempts times and asks for redelivery; what ends
// that is the per-service breaker (policy.breaker.maxRepairs failed repairs inside its window),
// which then acknowledges with an ALERT. Each refusal gets its own service, so breakers are apart.
import type { LogEntry, RejectionKind } from '../emulator';
import { DEFAULT_POLICY } from '../../functions/config/mesh';
import { DEFAULT_RETRY } from '../../functions/reconcile/retry';
import { deliverUntilAcked } from './harness/deliver';
import { applyDrift, createDecoys, type Drift } from './harness/drift-scenarios';
import { envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { SELF_PRINCIPAL } from '../support/identity';
import { startRig, type Rig } from './harness/rig';
import type { LogRecord } from './harness/transcript';
import { announce, readScale } from './harness/scale';

const scale = readScale();
/** Pub/Sub would go on for days; six deliveries are plenty to tell "gave up" from "storm". */
const DELIVERIES = 6;

interface Refusal {
  name: string;
  error: RejectionKind;
  /** most calls of the refused method allowed in all (see Budgets above) */
  budget: number;
  /** deliveries by which the event must be acknowledged */
  ackedBy: number;
  /** the refused method (emulator fault matching) */
  method: string;
  /** the drift whose repair needs that method */
  drift: Drift;
}

const MAX_REPAIRS = DEFAULT_POLICY.breaker.maxRepairs;
const REFUSALS: Refusal[] = [
  {
    name: 'permission denied (403) on the forwarding rule insert',
    error: 'permissionDenied',
    budget: 2,
    ackedBy: 1,
    method: 'forwardingRules.insert',
    drift: { kind: 'delete-chain', depth: 1 },
  },
  {
    name: 'quota exhausted (429 RESOURCE_EXHAUSTED, persisting) on the URL map patch',
    error: 'quota',
    budget: MAX_REPAIRS * DEFAULT_RETRY.maxAttempts,
    ackedBy: MAX_REPAIRS + 1,
    method: 'regionUrlMaps.patch',
    drift: { kind: 'repoint-url-map' },
  },
  {
    name: 'org policy rejection (400 FAILED_PRECONDITION) on the ingress update',
    error: 'orgPolicy',
    budget: 2,
    ackedBy: 1,
    method: 'UpdateService',
    drift: { kind: 'ingress-open' },
  },
];

let rig: Rig;
let fn: FunctionProcess;
/** Per refusal (by index): the last audit entry its drift left, the event delivered. */
const triggers: LogEntry[] = [];

const payloadOf = (e: LogEntry) =>
  e.protoPayload as { authenticationInfo?: { principalEmail?: string }; methodName?: string; status?: { code?: number } };

beforeAll(async () => {
  announce('refusals', scale, REFUSALS.map((r) => r.error).join(', '));
  rig = await startRig({ services: REFUSALS.length, seed: scale.seed });
  fn = await rig.start('refusals');
  const { emulator, meshFile } = rig;
  const human = new Human(emulator);
  for (const [index, refusal] of REFUSALS.entries()) {
    const svc = meshFile.mesh.services[index]!;
    if (refusal.drift.kind === 'repoint-url-map') await createDecoys(human, svc);
    await applyDrift(human, { index, service: svc, drifts: [refusal.drift], faults: {} });
    triggers[index] = emulator.audit.entries
      .filter((e) => payloadOf(e).authenticationInfo?.principalEmail === HUMAN && e.operation?.first === undefined)
      .at(-1)!;
  }
  // Every refusal at once: each is of its own method, met only by its own service's repair.
  emulator.faults.set({ reject: REFUSALS.map((r) => ({ method: r.method, error: r.error })) });
}, 180_000);

afterAll(() => rig?.stop());

// Side by side: most of a case's time is the function's backoff between attempts (the quota case
// above all), and each case has its own service, method and breaker.
describe.each(REFUSALS.map((refusal, index) => ({ ...refusal, index })))('$name', (refusal) => {
  test.concurrent(
    'bounded attempts, then acknowledged with an ERROR/ALERT line',
    async () => {
      const { emulator, meshFile } = rig;
      const svc = meshFile.mesh.services[refusal.index]!;
      const delivered = await deliverUntilAcked(
        () => fn.url,
        envelope(triggers[refusal.index]!, 'pubsub-structured', String(6e15 + refusal.index)),
        { maxAttempts: DELIVERIES, backoffMs: 100 },
      );
      const refused = emulator.audit.entries.filter(
        (e) =>
          payloadOf(e).authenticationInfo?.principalEmail === SELF_PRINCIPAL &&
          payloadOf(e).methodName?.endsWith(refusal.method) &&
          payloadOf(e).status?.code,
      );
      const isAlert = (r: LogRecord) => (r.severity === 'ERROR' || r.severity === 'ALERT') && r.serviceKey === svc.key;
      await rig.transcript.waitFor('refusals:', isAlert);
      const alerts = rig.transcript.records('refusals:').filter(isAlert);
      const figures = {
        refusal: refusal.error,
        method: refusal.method,
        deliveryStatuses: delivered.statuses,
        refusedAttempts: refused.length,
        alert: alerts.map((r) => `${r.severity}: ${String(r.message).slice(0, 200)}`)[0],
      };
      process.stderr.write(`[reliability] refusals figures ${JSON.stringify(figures)}\n`);
      expect(refusal.budget).toBeLessThan(DELIVERIES * DEFAULT_RETRY.maxAttempts); // a storm would exceed it

      expect(refused.length).toBeGreaterThan(0); // the refusal really happened
      expect(delivered.acked).toBe(true);
      expect(delivered.statuses.length).toBeLessThanOrEqual(refusal.ackedBy);
      expect(refused.length).toBeLessThanOrEqual(refusal.budget);
      expect(alerts.length).toBeGreaterThan(0);
      expect(rig.probeReports()).toEqual([]);
      expect(rig.leaks()).toEqual([]);
    },
    5 * 60_000,
  );
});
