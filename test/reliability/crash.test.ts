// The function dies mid-repair. For k = 1..5 a full rebuild is started (whole
// chain deleted, ingress opened), the instance is SIGKILLed the moment the emulator's audit stream
// shows its k-th write, a fresh instance is started and the event redelivered (the killed
// delivery got no answer, so Pub/Sub would). It must converge every time, with no delete and no
// write outside the declaration, and a further delivery must find nothing to do.
import type { LogEntry } from '../emulator';
import { ownDeletes, ownEntries, writesOutside } from './harness/audit-checks';
import { declaredStateProblems } from './harness/declared-state';
import { deliverUntilAcked, post } from './harness/deliver';
import { applyDrift } from './harness/drift-scenarios';
import { envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { SELF_PRINCIPAL } from '../support/identity';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const scale = readScale();
const KILL_AFTER = [1, 2, 3, 4, 5];
let rig: Rig;
let fn: FunctionProcess;

beforeAll(async () => {
  announce('crash', scale, `SIGKILL after k = ${KILL_AFTER.join(', ')} writes`);
  // Operations take a while, as Compute's do: the kill lands with some of them still running.
  rig = await startRig({ services: 1, seed: scale.seed, emulator: { operationDelayMs: 40 } });
  fn = await rig.start('crash-0');
}, 180_000);

afterAll(() => rig?.stop());

const payloadOf = (e: LogEntry) => e.protoPayload as { authenticationInfo?: { principalEmail?: string }; methodName?: string };
/** A write shows in the audit stream as its first entry (or its only one, for a call without an operation). */
const isOwnWrite = (e: LogEntry): boolean => payloadOf(e).authenticationInfo?.principalEmail === SELF_PRINCIPAL && !e.operation?.last;

describe.each(KILL_AFTER)('killed after %i writes of a full rebuild', (k) => {
  test(
    'a restarted instance, given the event again, converges',
    async () => {
      const { emulator, meshFile } = rig;
      const svc = meshFile.mesh.services[0]!;
      emulator.reset();
      await applyDrift(new Human(emulator), {
        index: k,
        service: svc,
        drifts: [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 6 }],
        faults: {},
      });
      const trigger = emulator.audit.entries
        .filter((e) => payloadOf(e).authenticationInfo?.principalEmail === HUMAN && e.operation?.last !== undefined)
        .at(-1)!;
      const delivery = envelope(trigger, 'pubsub-structured', String(4e15 + k));

      // The instance that takes over cold-starts while the victim works (it stays idle until the
      // redelivery), rather than after the kill.
      const successor = rig.start(`crash-${k}`);
      let seen = 0;
      const victim = fn;
      const stopWatching = emulator.audit.on((entry) => {
        if (isOwnWrite(entry) && ++seen === k) void victim.kill('SIGKILL');
      });
      const killedAnswer = await post(victim.url, delivery);
      const exit = await victim.exited;
      stopWatching();
      const writesBeforeKill = emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL).length;

      fn = await successor;
      const redelivered = await deliverUntilAcked(() => fn.url, delivery, { maxAttempts: 5, backoffMs: 200 });
      const problems = await declaredStateProblems(emulator, svc);
      const writesToConverge = emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL).length;
      const again = await deliverUntilAcked(() => fn.url, envelope(trigger, 'pubsub-binary', String(5e15 + k)), {
        maxAttempts: 5,
        backoffMs: 200,
      });
      const figures = {
        k,
        killedBy: exit.signal,
        killedDeliveryStatus: killedAnswer.status,
        writesBeforeKill,
        redeliveryStatuses: redelivered.statuses,
        writesInAll: writesToConverge,
        ownAuditEntries: ownEntries(emulator.audit.entries).length,
        writesOnAFurtherDelivery: emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL).length - writesToConverge,
      };
      process.stderr.write(`[reliability] crash figures ${JSON.stringify(figures)}\n`);

      expect(exit.signal).toBe('SIGKILL');
      expect(killedAnswer.status).toBe(0); // no answer: Pub/Sub redelivers
      expect(writesBeforeKill).toBeGreaterThanOrEqual(k);
      expect(redelivered.acked).toBe(true);
      expect(problems).toEqual([]);
      expect(again.acked).toBe(true);
      expect(figures.writesOnAFurtherDelivery).toBe(0);
      expect(writesOutside(emulator.audit.entries, meshFile.mesh)).toEqual([]);
      expect(ownDeletes(emulator.audit.entries)).toEqual([]);
      expect(rig.probeReports()).toEqual([]);
      expect(rig.leaks()).toEqual([]);
    },
    5 * 60_000,
  );
});
