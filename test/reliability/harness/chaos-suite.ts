// The chaos suite over one read path (its files: chaos.test.ts, per resource; chaos-snapshot-reads
// .test.ts, snapshots), so the two run in separate jest workers. Randomized drift repaired under
// the emulator's fault injection (30% 429/503, random latency, 10% failing operations, forced 409
// races) by two function instances running as separate processes, both fed every audit entry the
// drift left (as duplicate deliveries), each delivery redelivered on 5xx as Pub/Sub does; then a
// sweep (retried like Cloud Scheduler). Every scenario must converge, judged by an independent read
// of the emulator; the function must never write outside the declaration, never delete unless
// recreateOnImmutableDrift is set, and every delivery must end with a logged reason; and the run
// must have taken its read path.
import { seededRandom } from '../../emulator/random';
import { ownDeletes, ownEntries, writesOutside } from './audit-checks';
import { runChaos, startFleet, type ChaosResult, type Fleet } from './chaos-run';
import { declaredResourceNames } from './declared-state';
import { deliveryFigures, unexplainedDeliveries } from './delivery-log';
import { createDecoys, randomScenario } from './drift-scenarios';
import { countFaults, type FaultCounts } from './fault-counter';
import { Human, HUMAN } from './human';
import { allLogged } from './log-barrier';
import { listCalls, type ReadPath } from './read-paths';
import { startRig, type Rig } from './rig';
import { announce, type Scale } from './scale';

/** Services in the mesh = scenarios run side by side in one batch (each on its own service). */
const SERVICES = 4;

interface Variant {
  name: string;
  recreate: boolean;
  scenarios: number;
  path: ReadPath;
}

/** `scenarios` with recreate off, a fifth of them (at least one batch) with recreate on. */
export function describeChaos(scale: Scale, path: ReadPath, scenarios: number): void {
  const variants: Variant[] = [
    { name: `recreate off, ${path.name}`, recreate: false, scenarios, path },
    {
      name: `recreate on, immutable drift in every scenario, ${path.name}`,
      recreate: true,
      scenarios: Math.max(SERVICES, Math.round(scenarios / 5)),
      path,
    },
  ];
  describe.each(variants)('chaos, $name', (variant) => {
    let rig: Rig;
    let fleet: Fleet;
    let injected: FaultCounts;

    beforeAll(async () => {
      announce('chaos', scale, `${variant.scenarios} scenarios, ${variant.name}`);
      // The breaker would rightly stop repeated repairs of one service; here repeats are the point.
      rig = await startRig({
        services: SERVICES,
        seed: scale.seed,
        maxRepairs: 100_000,
        recreateOnImmutableDrift: variant.recreate,
        env: variant.path.env,
      });
      injected = countFaults(rig.emulator.faults);
      const human = new Human(rig.emulator);
      for (const svc of rig.meshFile.mesh.services) await createDecoys(human, svc);
      fleet = await startFleet(rig, SERVICES);
    }, 180_000);

    afterAll(() => rig?.stop());

    test(
      'randomized drift under faults converges through retries and a sweep, inside the declaration, with a reason for every delivery',
      async () => {
        const { emulator, meshFile } = rig;
        const random = seededRandom(scale.seed + Number(variant.recreate));
        const services = meshFile.mesh.services;
        const scenarios = Array.from({ length: variant.scenarios }, (_, i) =>
          randomScenario(random, i, services[i % SERVICES]!, { immutable: variant.recreate }),
        );
        const started = Date.now();
        const result: ChaosResult = await runChaos(rig, fleet, scenarios, SERVICES, random);
        await Promise.all(fleet.instances.map((fn) => allLogged(fn, rig.transcript)));

        const own = ownEntries(emulator.audit.entries);
        const deletes = ownDeletes(emulator.audit.entries);
        const driftKinds: Record<string, number> = {};
        for (const d of scenarios.flatMap((s) => s.drifts)) driftKinds[d.kind] = (driftKinds[d.kind] ?? 0) + 1;
        const figures = {
          variant: variant.name,
          scenarios: scenarios.length,
          driftKinds,
          seconds: Math.round((Date.now() - started) / 1000),
          convergedByEvents: result.convergedByEvents,
          convergedAfterSweep: scenarios.length - result.notConverged.length,
          sweepsRun: result.sweepsRun,
          functionAuditEntries: own.length,
          functionWritesAccepted: emulator.mutations.filter((m) => m.principal !== HUMAN).length,
          functionDeletes: deletes.length,
          apiRequests: emulator.rates(),
          lists: listCalls(emulator),
          injected,
          ...deliveryFigures(result.deliveries),
        };
        process.stderr.write(`[reliability] chaos figures ${JSON.stringify(figures)}\n`);

        expect(result.driftInvisible).toEqual([]);
        expect(result.notConverged).toEqual([]);
        expect(writesOutside(emulator.audit.entries, meshFile.mesh)).toEqual([]);
        if (variant.recreate) {
          // Deletes happen (immutable drift needs them), only of declared resources (checked above).
          expect(deletes.length).toBeGreaterThan(0);
          expect(deletes.every((d) => declaredResourceNames(meshFile.mesh).has(d.split(' ')[1] ?? ''))).toBe(true);
        } else {
          expect(deletes).toEqual([]);
        }
        expect(unexplainedDeliveries(rig.transcript, result.deliveries)).toEqual([]);
        expect(own.length).toBeGreaterThan(0); // the function did repair things
        expect(injected.rateLimited429 + injected.unavailable503).toBeGreaterThan(0); // and under fire
        // The run took the path it is named after.
        if (variant.path.lists) expect(figures.lists).toBeGreaterThan(0);
        else expect(figures.lists).toBe(0);
        for (const fn of [...fleet.instances, fleet.sweeper]) expect(fn.exit).toBeUndefined();
        expect(rig.probeReports()).toEqual([]);
        expect(rig.leaks()).toEqual([]);
      },
      60 * 60_000,
    );
  });
}
