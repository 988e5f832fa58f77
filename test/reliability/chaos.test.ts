// Issue 7 item 2: randomized drift repaired under the emulator's fault injection (30% 429/503,
// random latency, 10% failing operations, forced 409 races) by two function instances running as
// separate processes, both fed every audit entry the drift left (as duplicate deliveries), each
// delivery redelivered on 5xx as Pub/Sub does; then a sweep (retried like Cloud Scheduler). Every
// scenario must converge, judged by an independent read of the emulator; the function must never
// write outside the declaration, never delete (recreate is off), and every delivery must end with
// a logged reason. CI runs 20 scenarios, RELIABILITY_SCALE=full 200.
import type { LogEntry } from '../emulator';
import { seededRandom } from '../emulator/random';
import { ownDeletes, ownEntries, writesOutside } from './harness/audit-checks';
import { declaredStateProblems } from './harness/declared-state';
import { countFaults, type FaultCounts } from './harness/fault-counter';
import { deliverUntilAcked, post } from './harness/deliver';
import { deliveryFigures, unexplainedDeliveries, type DeliveryRecord } from './harness/delivery-log';
import { applyDrift, createDecoys, describeScenario, randomScenario, type Scenario } from './harness/drift-scenarios';
import { ENVELOPE_MODES, envelope, eventIdOf } from './harness/envelopes';
import type { FunctionProcess } from './harness/function-process';
import { Human, HUMAN } from './harness/human';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const scale = readScale();
/** Services in the mesh = scenarios run side by side in one batch (each on its own service). */
const SERVICES = 4;
const MAX_DELIVERIES = 8;
const MAX_SWEEPS = 5;
const CALM = { rate429: 0, rate503: 0, failOperationRate: 0, latencyMs: 0, race409: {} };

let rig: Rig;
let instances: FunctionProcess[];
let sweeper: FunctionProcess;
let injected: FaultCounts;

beforeAll(async () => {
  announce('chaos', scale, `${scale.chaosScenarios} scenarios`);
  // The breaker would rightly stop repeated repairs of one service; here repeats are the point.
  rig = await startRig({ services: SERVICES, seed: scale.seed, maxRepairs: 100_000 });
  injected = countFaults(rig.emulator.faults);
  const human = new Human(rig.emulator);
  for (const svc of rig.meshFile.mesh.services) await createDecoys(human, svc);
  [instances, sweeper] = await Promise.all([
    Promise.all([rig.start('instance-a'), rig.start('instance-b')]),
    rig.start('sweeper', 'sweep', { SWEEP_RATE_PER_API: '1000', SWEEP_CONCURRENCY: String(SERVICES) }),
  ]);
}, 180_000);

afterAll(() => rig?.stop());

const principalOf = (e: LogEntry): string | undefined => (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;

test(
  'randomized drift under faults converges through retries and a sweep, inside the declaration, with a reason for every delivery',
  async () => {
    const { emulator, meshFile } = rig;
    const human = new Human(emulator);
    const random = seededRandom(scale.seed);
    const scenarios: Scenario[] = Array.from({ length: scale.chaosScenarios }, (_, i) => randomScenario(random, i, meshFile.mesh.services[i % SERVICES]!));
    const deliveries: DeliveryRecord[] = [];
    const notConverged: string[] = [];
    const driftInvisible: string[] = [];
    let convergedByEvents = 0;
    let sweepsRun = 0;
    const started = Date.now();

    for (let b = 0; b < scenarios.length; b += SERVICES) {
      const batch = scenarios.slice(b, b + SERVICES);
      emulator.faults.set(CALM);
      const mark = emulator.audit.entries.length;
      await Promise.all(batch.map((s) => applyDrift(human, s)));
      const events = emulator.audit.entries.slice(mark).filter((e) => principalOf(e) === HUMAN);
      // The judge must see the drift, or its later "converged" would mean nothing.
      for (const s of batch) if ((await declaredStateProblems(emulator, s.service)).length === 0) driftInvisible.push(describeScenario(s));

      const faults = {
        ...batch[0]!.faults,
        latencyMs: Math.max(...batch.map((s) => s.faults.latencyMs ?? 0)),
        race409: Object.assign({}, ...batch.map((s) => s.faults.race409)) as Record<string, number>,
      };
      emulator.faults.set(faults);
      await Promise.all(
        events.flatMap((entry) =>
          instances.map(async (fn) => {
            const delivery = envelope(entry, ENVELOPE_MODES[Math.floor(random() * ENVELOPE_MODES.length)]!, String(1e15 + deliveries.length + Math.floor(random() * 1e9)));
            const record: DeliveryRecord = { instance: fn.name, eventId: eventIdOf(delivery), insertId: entry.insertId, statuses: [], acked: false };
            deliveries.push(record);
            const result = await deliverUntilAcked(() => fn.url, delivery, { maxAttempts: MAX_DELIVERIES, backoffMs: 100 });
            Object.assign(record, result);
          }),
        ),
      );

      const phase = (name: string) => process.env.CHAOS_DEBUG && process.stderr.write(`PHASE ${name} ${Date.now() - started}\n`);
      phase('delivered');
      emulator.faults.set(CALM);
      const afterEvents = await Promise.all(batch.map((s) => declaredStateProblems(emulator, s.service)));
      convergedByEvents += afterEvents.filter((p) => p.length === 0).length;

      // The periodic sweep catches what events did not fix; Cloud Scheduler retries a failed run.
      emulator.faults.set(faults);
      for (let attempt = 1; attempt <= MAX_SWEEPS; attempt++) {
        sweepsRun += 1;
        const answer = await post(sweeper.url, { path: '/', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') });
        const summary = JSON.parse(answer.body || '{}') as { byStatus?: Record<string, number> };
        if (answer.status === 200 && !summary.byStatus?.failed) break;
      }
      phase('swept');
      emulator.faults.set(CALM);
      for (const s of batch) {
        const problems = await declaredStateProblems(emulator, s.service);
        if (problems.length > 0) notConverged.push(`${describeScenario(s)}: ${problems.join('; ')}`);
      }
    }

    const own = ownEntries(emulator.audit.entries);
    const driftKinds: Record<string, number> = {};
    for (const d of scenarios.flatMap((s) => s.drifts)) driftKinds[d.kind] = (driftKinds[d.kind] ?? 0) + 1;
    const figures = {
      scenarios: scenarios.length,
      driftKinds,
      seconds: Math.round((Date.now() - started) / 1000),
      convergedByEvents,
      convergedAfterSweep: scenarios.length - notConverged.length,
      sweepsRun,
      functionAuditEntries: own.length,
      functionWritesAccepted: emulator.mutations.filter((m) => m.principal !== HUMAN).length,
      apiRequests: emulator.rates(),
      injected,
      ...deliveryFigures(deliveries),
    };
    process.stderr.write(`[reliability] chaos figures ${JSON.stringify(figures)}\n`);

    expect(driftInvisible).toEqual([]);
    expect(notConverged).toEqual([]);
    expect(writesOutside(emulator.audit.entries, meshFile.mesh)).toEqual([]);
    expect(ownDeletes(emulator.audit.entries)).toEqual([]);
    expect(unexplainedDeliveries(rig.transcript, deliveries)).toEqual([]);
    expect(own.length).toBeGreaterThan(0); // the function did repair things
    expect(injected.rateLimited429 + injected.unavailable503).toBeGreaterThan(0); // and under fire
    for (const fn of [...instances, sweeper]) expect(fn.exit).toBeUndefined();
    expect(rig.probeReports()).toEqual([]);
    expect(rig.leaks()).toEqual([]);
  },
  60 * 60_000,
);
