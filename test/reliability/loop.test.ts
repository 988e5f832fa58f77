// The function's own writes come back to it as audit events (its Log Router sink
// cannot tell them apart). Feeding every one of them back must cause zero writes: the instance
// that knows its identity skips them (own-principal), and an instance that does not recognise the
// principal re-reads, finds the mesh in sync and writes nothing either (level-triggered), so no
// generation of events follows.
import { ownEntries } from './harness/audit-checks';
import { declaredStateProblems, meshProblems } from './harness/declared-state';
import { deliverUntilAcked } from './harness/deliver';
import { applyDrift, type Scenario } from './harness/drift-scenarios';
import { ENVELOPE_MODES, envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { allLogged } from './harness/log-barrier';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';
import type { LogEntry } from '../emulator';

const scale = readScale();
let rig: Rig;
let self: FunctionProcess;
let blind: FunctionProcess;

beforeAll(async () => {
  announce('loop', scale, 'full rebuild of 2 services, own entries fed back');
  rig = await startRig({ services: 2, seed: scale.seed });
  [self, blind] = await Promise.all([
    rig.start('loop-self'),
    // Same code, told another identity: the function's writes look like a stranger's to it.
    rig.start('loop-blind', 'remediateDrift', { SELF_PRINCIPAL: 'another-instance@demo-project.iam.gserviceaccount.com' }),
  ]);
}, 180_000);

afterAll(() => rig?.stop());

async function feed(fn: FunctionProcess, entries: LogEntry[]): Promise<boolean[]> {
  return Promise.all(
    entries.map(
      async (entry, i) =>
        (
          await deliverUntilAcked(() => fn.url, envelope(entry, ENVELOPE_MODES[i % ENVELOPE_MODES.length]!, String(3e15 + i)), {
            maxAttempts: 5,
            backoffMs: 100,
          })
        ).acked,
    ),
  );
}

test(
  "every audit entry of the function's own writes, fed back, causes zero writes",
  async () => {
    const { emulator, meshFile } = rig;
    const human = new Human(emulator);
    // A full rebuild: the whole chain deleted and the ingress opened, on every service.
    for (const [index, service] of meshFile.mesh.services.entries()) {
      const scenario: Scenario = { index, service, drifts: [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 6 }], faults: {} };
      await applyDrift(human, scenario);
      expect((await declaredStateProblems(emulator, service)).length).toBeGreaterThan(0);
    }
    const humanEntries = emulator.audit.entries.filter(
      (e) => (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail === HUMAN,
    );
    expect((await feed(self, humanEntries)).every(Boolean)).toBe(true);
    expect(await meshProblems(emulator, meshFile.mesh)).toEqual([]);

    const own = ownEntries(emulator.audit.entries);
    const writesAfterRepair = emulator.writes();
    const entriesAfterRepair = emulator.audit.entries.length;
    expect(own.length).toBeGreaterThanOrEqual(2 * 7); // 6 inserts + 1 ingress update per service, at least

    const ackedBySelf = await feed(self, own);
    const ackedByBlind = await feed(blind, own);
    const newEntries = emulator.audit.entries.slice(entriesAfterRepair);
    await Promise.all([allLogged(self, rig.transcript), allLogged(blind, rig.transcript)]);
    const selfSkips = rig.transcript.records('loop-self:').filter((r) => r.skipReason === 'own-principal').length;
    const blindReconciles = rig.transcript.records('loop-blind:').filter((r) => r.event === 'mesh-remediator.outcome').length;
    const figures = {
      ownEntriesFedBack: own.length,
      fedTo: ['loop-self', 'loop-blind'],
      selfSkippedOwnPrincipal: selfSkips,
      blindReconciles,
      newWrites: emulator.writes() - writesAfterRepair,
      nextGenerationEntries: newEntries.length,
    };
    process.stderr.write(`[reliability] loop figures ${JSON.stringify(figures)}\n`);

    expect(ackedBySelf.every(Boolean)).toBe(true);
    expect(ackedByBlind.every(Boolean)).toBe(true);
    expect(emulator.writes()).toBe(writesAfterRepair);
    expect(newEntries).toEqual([]); // nothing to feed a second generation: the loop ends here
    expect(selfSkips).toBeGreaterThan(0);
    expect(blindReconciles).toBeGreaterThan(0); // the blind instance really reconciled, and found nothing to do
    expect(rig.transcript.records('loop-blind:').filter((r) => r.event === 'mesh-remediator.outcome' && r.outcome !== 'in-sync')).toEqual(
      [],
    );
    expect(rig.probeReports()).toEqual([]);
    expect(rig.leaks()).toEqual([]);
  },
  10 * 60_000,
);
