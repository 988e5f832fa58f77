// The function dies mid-repair. For k = 1..5 a full rebuild of two services is started (whole
// chains deleted, ingress opened), the instance is SIGKILLed the moment the emulator's audit stream
// shows its k-th write, a fresh instance is started and the events redelivered (the killed
// deliveries got no answer, so Pub/Sub would). It must converge every time, with no delete and no
// write outside the declaration, and a further delivery must find nothing to do. Run over both
// read paths: per resource, and snapshots (the two services' first reads batched into filtered
// lists, the fresh reads before and after each write shared).
import type { LogEntry } from '../emulator';
import { ownDeletes, ownEntries, writesOutside } from './harness/audit-checks';
import { declaredStateProblems } from './harness/declared-state';
import { deliverUntilAcked, post } from './harness/deliver';
import { applyDrift } from './harness/drift-scenarios';
import { envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { allLogged } from './harness/log-barrier';
import { SELF_PRINCIPAL } from '../support/identity';
import { listCalls, READ_PATHS } from './harness/read-paths';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const scale = readScale();
const KILL_AFTER = [1, 2, 3, 4, 5];
const SERVICES = 2;

const payloadOf = (e: LogEntry) => e.protoPayload as { authenticationInfo?: { principalEmail?: string }; methodName?: string };
/** A write shows in the audit stream as its first entry (or its only one, for a call without an operation). */
const isOwnWrite = (e: LogEntry): boolean => payloadOf(e).authenticationInfo?.principalEmail === SELF_PRINCIPAL && !e.operation?.last;

describe.each(READ_PATHS)('crash, $name', (path) => {
  let rig: Rig;
  let fn: FunctionProcess;

  beforeAll(async () => {
    announce('crash', scale, `SIGKILL after k = ${KILL_AFTER.join(', ')} writes, ${path.name}`);
    // Operations take a while, as Compute's do: the kill lands with some of them still running.
    rig = await startRig({ services: SERVICES, seed: scale.seed, emulator: { operationDelayMs: 40 }, env: path.env });
    fn = await rig.start('crash-0');
  }, 180_000);

  afterAll(() => rig?.stop());

  describe.each(KILL_AFTER)('killed after %i writes of a full rebuild', (k) => {
    test(
      'a restarted instance, given the events again, converges',
      async () => {
        const { emulator, meshFile } = rig;
        const services = meshFile.mesh.services;
        emulator.reset();
        const human = new Human(emulator);
        const triggers: LogEntry[] = [];
        for (const [index, service] of services.entries()) {
          const mark = emulator.audit.entries.length;
          await applyDrift(human, {
            index: k * SERVICES + index,
            service,
            drifts: [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 6 }],
            faults: {},
          });
          triggers.push(
            emulator.audit.entries
              .slice(mark)
              .filter((e) => payloadOf(e).authenticationInfo?.principalEmail === HUMAN && e.operation?.last !== undefined)
              .at(-1)!,
          );
        }
        const deliveries = triggers.map((trigger, i) => envelope(trigger, 'pubsub-structured', String(4e15 + k * SERVICES + i)));

        // The instance that takes over cold-starts while the victim works (it stays idle until the
        // redelivery), rather than after the kill.
        const successor = rig.start(`crash-${k}`);
        let seen = 0;
        const victim = fn;
        const stopWatching = emulator.audit.on((entry) => {
          if (isOwnWrite(entry) && ++seen === k) void victim.kill('SIGKILL');
        });
        const killedAnswers = await Promise.all(deliveries.map((delivery) => post(victim.url, delivery)));
        const exit = await victim.exited;
        stopWatching();
        const writesBeforeKill = emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL).length;

        fn = await successor;
        const redelivered = await Promise.all(
          deliveries.map((delivery) => deliverUntilAcked(() => fn.url, delivery, { maxAttempts: 5, backoffMs: 200 })),
        );
        const problems = (await Promise.all(services.map((svc) => declaredStateProblems(emulator, svc)))).flat();
        const writesToConverge = emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL).length;
        const again = await Promise.all(
          triggers.map((trigger, i) =>
            deliverUntilAcked(() => fn.url, envelope(trigger, 'pubsub-binary', String(5e15 + k * SERVICES + i)), {
              maxAttempts: 5,
              backoffMs: 200,
            }),
          ),
        );
        const figures = {
          path: path.name,
          k,
          killedBy: exit.signal,
          killedDeliveryStatuses: killedAnswers.map((a) => a.status),
          writesBeforeKill,
          redeliveryStatuses: redelivered.map((r) => r.statuses),
          writesInAll: writesToConverge,
          ownAuditEntries: ownEntries(emulator.audit.entries).length,
          writesOnAFurtherDelivery: emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL).length - writesToConverge,
          lists: listCalls(emulator),
        };
        process.stderr.write(`[reliability] crash figures ${JSON.stringify(figures)}\n`);

        await allLogged(fn, rig.transcript); // for the secret scan below
        expect(exit.signal).toBe('SIGKILL');
        expect(figures.killedDeliveryStatuses).toEqual(deliveries.map(() => 0)); // no answer: Pub/Sub redelivers
        expect(writesBeforeKill).toBeGreaterThanOrEqual(k);
        expect(redelivered.map((r) => r.acked)).toEqual(deliveries.map(() => true));
        expect(problems).toEqual([]);
        expect(again.map((r) => r.acked)).toEqual(deliveries.map(() => true));
        expect(figures.writesOnAFurtherDelivery).toBe(0);
        // The run took the path it is named after.
        if (path.lists) expect(figures.lists).toBeGreaterThan(0);
        else expect(figures.lists).toBe(0);
        expect(writesOutside(emulator.audit.entries, meshFile.mesh)).toEqual([]);
        expect(ownDeletes(emulator.audit.entries)).toEqual([]);
        expect(rig.probeReports()).toEqual([]);
        expect(rig.leaks()).toEqual([]);
      },
      5 * 60_000,
    );
  });
});
