// The sweep over the wire: a mesh in two projects × two regions is swept shard by shard, each
// shard listing every kind once (paged) and its Cloud Run services once, then reconciling its
// services against that snapshot; only drift costs GETs. Counted on the emulator's side.
import { loadMesh } from '../../functions/config/load';
import { composeCli, loadConfig, type UsableDeps } from '../../functions/composition-root';
import { shardsOf, sweepAll } from '../../functions/sweep';
import { startEmulator, totalCalls, type Emulator } from '../emulator';
import { placedService, writeMesh } from '../support/mesh-file';
import { SELF_PRINCIPAL as SELF } from '../support/identity';

const PROJECTS = ['alpha-project', 'beta-project'];
const REGIONS = ['asia-northeast1', 'europe-west1'];
const PER_SHARD = 3;

function meshFile(): string {
  const services = PROJECTS.flatMap((project) =>
    REGIONS.flatMap((region) => Array.from({ length: PER_SHARD }, (_, i) => placedService(i, project, region))),
  );
  return writeMesh(services).path;
}

let emulator: Emulator;
let path: string;

beforeAll(async () => {
  path = meshFile();
  emulator = await startEmulator({ seed: loadMesh(path), operationDelayMs: 0 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

function runtime(extra: Record<string, string> = {}): UsableDeps {
  return composeCli(loadConfig({ ...emulator.env, MESH_CONFIG: path, SELF_PRINCIPAL: SELF, ...extra }), { write: () => undefined });
}

async function admin(method: string, path: string): Promise<void> {
  const res = await fetch(`${emulator.url}${path}`, { method });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
}

describe('sweep by shards', () => {
  it('cuts the mesh into one shard per project-region', () => {
    expect(shardsOf(loadMesh(path).services)).toEqual(PROJECTS.flatMap((project) => REGIONS.map((region) => ({ project, region }))));
  });

  it('an in-sync mesh costs exactly one list per kind per shard and one Cloud Run list per shard, no GET', async () => {
    const { summary } = await sweepAll(runtime());
    expect(summary).toMatchObject({ services: 12, byStatus: { 'in-sync': 12 }, errors: [] });
    const counts = emulator.requests();
    for (const project of PROJECTS) {
      const compute = counts[project]?.compute ?? {};
      expect(Object.entries(compute).every(([method, c]) => method.endsWith('.list') && c.calls === REGIONS.length)).toBe(true);
      expect(Object.keys(compute)).toHaveLength(6);
      expect(counts[project]?.run).toEqual({ 'google.cloud.run.v2.Services.ListServices': { calls: REGIONS.length, refused: 0 } });
    }
  });

  it('repairs drift found in a snapshot with fresh reads of just the changed resource', async () => {
    await admin('DELETE', '/compute/v1/projects/beta-project/regions/europe-west1/forwardingRules/svc-0001-lb-frontend');
    await emulator.audit.flush();
    const before = emulator.requests();
    const { summary } = await sweepAll(runtime());
    expect(summary).toMatchObject({ services: 12, byStatus: { 'in-sync': 11, repaired: 1 }, errors: [] });
    const after = emulator.requests();
    const gets = (snapshot: typeof after) => totalCalls(snapshot, { method: /\.get$|GetService$/ });
    // One GET to confirm before the insert, one to verify.
    expect(gets(after) - gets(before)).toBe(2);
    expect(emulator.mutations.filter((m) => m.principal === SELF).map((m) => `${m.methodName} ${m.resourceName}`)).toEqual([
      'v1.compute.forwardingRules.insert projects/beta-project/regions/europe-west1/forwardingRules/svc-0001-lb-frontend',
    ]);
  });

  it('SWEEP_SNAPSHOTS=false and READ_BATCH_WINDOW_MS=0 read per service, as before', async () => {
    const { summary } = await sweepAll(runtime({ SWEEP_SNAPSHOTS: 'false', READ_BATCH_WINDOW_MS: '0' }));
    expect(summary.byStatus['in-sync']).toBe(12);
    expect(totalCalls(emulator.requests(), { method: /\.list$|ListServices$/ })).toBe(0);
    expect(totalCalls(emulator.requests(), { method: /\.get$|GetService$/ })).toBe(12 * 7);
  });
});
