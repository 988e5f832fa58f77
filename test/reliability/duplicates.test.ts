// Duplicate deliveries. Pub/Sub delivers at least once, so a burst of every audit
// entry of one change, each delivered three times at once, must cost at most two reconciles
// (single-flight: one, plus at most one more), the minimal writes, and converge. And the outcome
// is one outcome: the alert line that log-based metrics count must appear once per reconcile.
import type { LogEntry } from '../emulator';
import { ownEntries } from './harness/audit-checks';
import { declaredStateProblems } from './harness/declared-state';
import { deliverUntilAcked } from './harness/deliver';
import { applyDrift } from './harness/drift-scenarios';
import { ENVELOPE_MODES, envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const scale = readScale();
const COPIES = 3;
let rig: Rig;
let fn: FunctionProcess;
let figures: { deliveries: number; acked: number; reconciles: number; ownWrites: number; problems: string[] };

const principalOf = (e: LogEntry) =>
  (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;

beforeAll(async () => {
  announce('duplicates', scale, `every entry of one change delivered ${COPIES}× at once`);
  rig = await startRig({ services: 1, seed: scale.seed });
  fn = await rig.start('duplicates');
  const { emulator, meshFile } = rig;
  const svc = meshFile.mesh.services[0]!;
  await applyDrift(new Human(emulator), {
    index: 0,
    service: svc,
    drifts: [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 2 }],
    faults: {},
  });
  const entries = emulator.audit.entries.filter((e) => principalOf(e) === HUMAN);
  const burst = entries.flatMap((entry, i) =>
    Array.from({ length: COPIES }, (_, copy) =>
      envelope(entry, ENVELOPE_MODES[(i + copy) % ENVELOPE_MODES.length]!, String(9e15 + i * COPIES + copy)),
    ),
  );
  const results = await Promise.all(burst.map((delivery) => deliverUntilAcked(() => fn.url, delivery, { maxAttempts: 5, backoffMs: 100 })));
  const records = rig.transcript.records('duplicates:');
  figures = {
    deliveries: burst.length,
    acked: results.filter((r) => r.acked).length,
    // One outcome line per reconcile run: events that join a run in flight share its Outcome and it is
    // told once (Runtime.reconcile); a line per joined event would count one repair many times here.
    reconciles: records.filter((r) => r.event === 'mesh-remediator.outcome').length,
    ownWrites: emulator.mutations.filter((m) => m.principal !== HUMAN).length,
    problems: await declaredStateProblems(emulator, svc),
  };
  process.stderr.write(
    `[reliability] duplicates figures ${JSON.stringify({ ...figures, ownAuditEntries: ownEntries(emulator.audit.entries).length })}\n`,
  );
}, 180_000);

afterAll(() => rig?.stop());

test('a burst of duplicate deliveries converges with at most two reconciles and the minimal writes', () => {
  expect(figures.acked).toBe(figures.deliveries);
  expect(figures.problems).toEqual([]);
  expect(figures.reconciles).toBeGreaterThanOrEqual(1);
  expect(figures.reconciles).toBeLessThanOrEqual(2);
  expect(figures.ownWrites).toBe(3); // ingress, target proxy, forwarding rule: nothing twice
  expect(rig.probeReports()).toEqual([]);
  expect(rig.leaks()).toEqual([]);
});
