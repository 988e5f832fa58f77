// Duplicate deliveries. Pub/Sub delivers at least once, so a burst of every audit entry of one
// change to each of two services, each entry delivered three times at once, must cost at most two
// reconciles per service (single-flight: one, plus at most one more), the minimal writes, and
// converge. And the outcome is one outcome: the alert line that log-based metrics count must
// appear once per reconcile. Run over both read paths: per resource, and snapshots (the two
// services' first reads batched into filtered lists, their fresh reads shared).
import type { LogEntry } from '../emulator';
import { ownEntries } from './harness/audit-checks';
import { declaredStateProblems } from './harness/declared-state';
import { deliverUntilAcked } from './harness/deliver';
import { applyDrift } from './harness/drift-scenarios';
import { ENVELOPE_MODES, envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { allLogged } from './harness/log-barrier';
import { listCalls, READ_PATHS } from './harness/read-paths';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const scale = readScale();
const COPIES = 3;
const SERVICES = 2;
/**
 * The snapshot path proves itself by the lists it sends, and with two services a list needs both
 * first reads inside one batching window: on a starved machine 100 ms was once too short (no list,
 * every read a GET), so this burst gets a window no scheduling delay reaches.
 */
const BURST_WINDOW_MS = '1000';

const principalOf = (e: LogEntry) =>
  (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;

describe.each(READ_PATHS)('duplicates, $name', (path) => {
  let rig: Rig;
  let fn: FunctionProcess;
  let figures: {
    deliveries: number;
    acked: number;
    reconciles: Record<string, number>;
    ownWrites: number;
    lists: number;
    problems: string[];
  };

  beforeAll(async () => {
    announce('duplicates', scale, `every entry of one change to each of ${SERVICES} services delivered ${COPIES}× at once, ${path.name}`);
    rig = await startRig({
      services: SERVICES,
      seed: scale.seed,
      env: path.lists ? { ...path.env, READ_BATCH_WINDOW_MS: BURST_WINDOW_MS } : path.env,
    });
    fn = await rig.start('duplicates');
    const { emulator, meshFile } = rig;
    const services = meshFile.mesh.services;
    const human = new Human(emulator);
    for (const [index, service] of services.entries())
      await applyDrift(human, { index, service, drifts: [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 2 }], faults: {} });
    const listsBefore = listCalls(emulator);
    const entries = emulator.audit.entries.filter((e) => principalOf(e) === HUMAN);
    const burst = entries.flatMap((entry, i) =>
      Array.from({ length: COPIES }, (_, copy) =>
        envelope(entry, ENVELOPE_MODES[(i + copy) % ENVELOPE_MODES.length]!, String(9e15 + i * COPIES + copy)),
      ),
    );
    const results = await Promise.all(
      burst.map((delivery) => deliverUntilAcked(() => fn.url, delivery, { maxAttempts: 5, backoffMs: 100 })),
    );
    // One outcome line per reconcile run: events that join a run in flight share its Outcome and it is
    // told once (Runtime.reconcile); a line per joined event would count one repair many times here.
    await allLogged(fn, rig.transcript);
    const outcomes = rig.transcript.records('duplicates:').filter((r) => r.event === 'mesh-remediator.outcome');
    figures = {
      deliveries: burst.length,
      acked: results.filter((r) => r.acked).length,
      reconciles: Object.fromEntries(services.map((s) => [s.key, outcomes.filter((r) => r.serviceKey === s.key).length])),
      ownWrites: emulator.mutations.filter((m) => m.principal !== HUMAN).length,
      lists: listCalls(emulator) - listsBefore,
      problems: (await Promise.all(services.map((s) => declaredStateProblems(emulator, s)))).flat(),
    };
    process.stderr.write(
      `[reliability] duplicates figures ${JSON.stringify({ path: path.name, ...figures, ownAuditEntries: ownEntries(emulator.audit.entries).length })}\n`,
    );
  }, 180_000);

  afterAll(() => rig?.stop());

  test('a burst of duplicate deliveries converges with at most two reconciles per service and the minimal writes', () => {
    expect(figures.acked).toBe(figures.deliveries);
    expect(figures.problems).toEqual([]);
    for (const count of Object.values(figures.reconciles)) {
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(2);
    }
    expect(figures.ownWrites).toBe(3 * SERVICES); // ingress, target proxy, forwarding rule of each: nothing twice
    // The run took the path it is named after.
    if (path.lists) expect(figures.lists).toBeGreaterThan(0);
    else expect(figures.lists).toBe(0);
    expect(rig.probeReports()).toEqual([]);
    expect(rig.leaks()).toEqual([]);
  });
});
