// The drift scenarios (scenarios.ts) straight through the reconciler, with the real @google-cloud/run and
// @google-cloud/compute clients (through the adapter) talking to the emulator over HTTP.
import { DEFAULT_POLICY, type Mesh } from '../../functions/config/mesh';
import { createGcpPort } from '../../functions/gcp/adapter';
import { memoryLogger } from '../../functions/log';
import { createReconciler } from '../../functions/reconcile/reconciler';
import { startEmulator, type Emulator } from '../emulator';
import { declaredService } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { SCENARIOS } from './scenarios';
import { SELF_PRINCIPAL as SELF } from '../support/identity';
import { parseEnvironment } from '../../functions/config/environment';

const service = declaredService();
const declaredNames = new Set(Object.values(service.loadBalancer.names));

let emulator: Emulator;
let port: ReturnType<typeof createGcpPort>;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { services: [service], policy: DEFAULT_POLICY }, operationDelayMs: 5 });
  port = createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: SELF });
}, 60_000);
afterAll(() => emulator.stop());

const selfWrites = () => emulator.mutations.filter((m) => m.principal === SELF);

describe.each(SCENARIOS)('$name', (scenario) => {
  test('reaches its outcome; the re-read agrees; a second reconcile writes nothing', async () => {
    emulator.reset();
    const actor = new DriftActor(emulator.url);
    await actor.createDecoys(service);
    await scenario.breakIt(actor, service);

    const mesh: Mesh = { services: [service], policy: { ...DEFAULT_POLICY, ...scenario.policy } };
    const reconciler = createReconciler(mesh, { port, logger: memoryLogger() });
    const first = await reconciler.reconcile(service.key);
    expect(first.status).toBe(scenario.status);
    if (scenario.reason) expect(first.reason).toMatch(scenario.reason);

    const written = selfWrites();
    if (scenario.status === 'repaired') expect(written.length).toBeGreaterThan(0);
    else expect(written).toHaveLength(0);
    // Never a write outside the declaration (decoys included), never a delete without recreate.
    for (const m of written) expect(declaredNames.has(m.resourceName.split('/').pop() as string) || m.api === 'run').toBe(true);
    if (!scenario.policy?.recreateOnImmutableDrift) expect(written.filter((m) => /delete/i.test(m.methodName))).toHaveLength(0);

    const check = await createReconciler(mesh, { port, logger: memoryLogger() }).reconcile(service.key, { dryRun: true });
    if (scenario.converges) {
      expect(check.status).toBe('in-sync');
      expect(first.remainingDrift).toEqual([]);
    } else {
      expect(check.plan.drift.length).toBeGreaterThan(0);
    }

    const before = emulator.writes();
    const second = await reconciler.reconcile(service.key);
    expect(emulator.writes()).toBe(before);
    expect(second.writes).toBe(0);
  }, 60_000);
});
