// The chaos loop, batch by batch (one scenario per service in a batch): with faults off a person
// drifts each service; with faults on every audit entry that left is delivered to every instance
// (duplicate deliveries) and redelivered on non-2xx as Pub/Sub does; the judge reads the state;
// then a sweep, retried like Cloud Scheduler while it reports failures; the judge again.
import type { LogEntry } from '../../emulator';
import type { Random } from '../../emulator/random';
import { declaredStateProblems } from './declared-state';
import { deliverUntilAcked, post } from './deliver';
import type { DeliveryRecord } from './delivery-log';
import { applyDrift, describeScenario, type Scenario } from './drift-scenarios';
import { ENVELOPE_MODES, envelope, eventIdOf } from '../../support/envelopes';
import type { FunctionProcess } from '../../support/function-process';
import { Human, HUMAN } from './human';
import type { Rig } from './rig';

const MAX_DELIVERIES = 8;
const MAX_SWEEPS = 5;
const CALM = { rate429: 0, rate503: 0, failOperationRate: 0, latencyMs: 0, race409: {} };

export interface Fleet {
  instances: FunctionProcess[];
  sweeper: FunctionProcess;
}

/** Two instances as separate processes, and the sweep (its own process: one target per process). */
export async function startFleet(rig: Rig, services: number): Promise<Fleet> {
  const [instances, sweeper] = await Promise.all([
    Promise.all([rig.start('instance-a'), rig.start('instance-b')]),
    rig.start('sweeper', 'sweep', { SWEEP_RATE_PER_API: '1000', SWEEP_CONCURRENCY: String(services) }),
  ]);
  return { instances, sweeper };
}

export interface ChaosResult {
  deliveries: DeliveryRecord[];
  /** scenarios whose drift the judge did not see (their "converged" would prove nothing) */
  driftInvisible: string[];
  /** scenario: what still differs after events and sweeps */
  notConverged: string[];
  convergedByEvents: number;
  sweepsRun: number;
}

const principalOf = (e: LogEntry): string | undefined =>
  (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;

export async function runChaos(rig: Rig, fleet: Fleet, scenarios: Scenario[], batchSize: number, random: Random): Promise<ChaosResult> {
  const { emulator } = rig;
  const human = new Human(emulator);
  const result: ChaosResult = { deliveries: [], driftInvisible: [], notConverged: [], convergedByEvents: 0, sweepsRun: 0 };

  for (let b = 0; b < scenarios.length; b += batchSize) {
    const batch = scenarios.slice(b, b + batchSize);
    emulator.faults.set(CALM);
    const mark = emulator.audit.entries.length;
    await Promise.all(batch.map((s) => applyDrift(human, s)));
    const events = emulator.audit.entries.slice(mark).filter((e) => principalOf(e) === HUMAN);
    for (const s of batch)
      if ((await declaredStateProblems(emulator, s.service)).length === 0) result.driftInvisible.push(describeScenario(s));

    const faults = {
      ...batch[0]!.faults,
      latencyMs: Math.max(...batch.map((s) => s.faults.latencyMs ?? 0)),
      race409: Object.assign({}, ...batch.map((s) => s.faults.race409)) as Record<string, number>,
    };
    emulator.faults.set(faults);
    await Promise.all(
      events.flatMap((entry) =>
        fleet.instances.map(async (fn) => {
          const mode = ENVELOPE_MODES[Math.floor(random() * ENVELOPE_MODES.length)]!;
          const delivery = envelope(entry, mode, String(1e15 + result.deliveries.length + Math.floor(random() * 1e9)));
          const record: DeliveryRecord = {
            instance: fn.name,
            eventId: eventIdOf(delivery),
            insertId: entry.insertId,
            statuses: [],
            acked: false,
          };
          result.deliveries.push(record);
          Object.assign(record, await deliverUntilAcked(() => fn.url, delivery, { maxAttempts: MAX_DELIVERIES, backoffMs: 100 }));
        }),
      ),
    );

    emulator.faults.set(CALM);
    const afterEvents = await Promise.all(batch.map((s) => declaredStateProblems(emulator, s.service)));
    result.convergedByEvents += afterEvents.filter((p) => p.length === 0).length;

    emulator.faults.set(faults);
    for (let attempt = 1; attempt <= MAX_SWEEPS; attempt++) {
      result.sweepsRun += 1;
      const answer = await post(fleet.sweeper.url, { path: '/', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') });
      const summary = JSON.parse(answer.body || '{}') as { byStatus?: Record<string, number> };
      if (answer.status === 200 && !summary.byStatus?.failed) break;
    }
    emulator.faults.set(CALM);
    for (const s of batch) {
      const problems = await declaredStateProblems(emulator, s.service);
      if (problems.length > 0) result.notConverged.push(`${describeScenario(s)}: ${problems.join('; ')}`);
    }
  }
  return result;
}
