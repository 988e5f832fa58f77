// `diff` and `reconcile` by hand against the emulator, over the real client libraries: exit codes
// (diff 0/2/1 like terraform plan -detailed-exitcode), the drift table, --json, --service, and that
// dry-run writes nothing while a real run repairs and a second run writes nothing.
import { startEmulator, type Emulator } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, removeTempDirs, runCli, SELF, writeMesh } from './cli-harness';

const server = declaredService();
const other = declaredService('other-service', 'other-lb', '10.0.0.101');

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let yamlMesh: string;
let jsonMesh: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(server, other), operationDelayMs: 0 });
  env = emulatorEnv(emulator);
  yamlMesh = writeMesh([server, other], 'yaml');
  jsonMesh = writeMesh([server, other], 'json');
}, 60_000);
afterAll(async () => {
  removeTempDirs();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

/** Someone opens server-service to the internet and points its URL map at a decoy backend. */
async function breakServer(): Promise<void> {
  const actor = new DriftActor(emulator.url);
  await actor.createDecoys(server);
  await actor.openIngress(server);
  await actor.pointUrlMapAt(server, 'decoy-backend-svc');
}

describe('diff', () => {
  test('in sync: exit 0 and "no drift" for every service, from a YAML or a JSON mesh', async () => {
    for (const config of [yamlMesh, jsonMesh]) {
      const { code, stdout, stderr } = await runCli(['diff', '--config', config], { env });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toBe(`${server.key}: no drift\n${other.key}: no drift\n`);
    }
    expect(emulator.writes()).toBe(0);
  });

  test('after a person breaks things: exit 2, a table naming each drift, and nothing written', async () => {
    await breakServer();
    const writesBefore = emulator.writes();
    const { code, stdout, stderr } = await runCli(['diff', '--config', yamlMesh], { env });
    expect(stderr).toBe('');
    expect(code).toBe(2);
    expect(stdout).toContain(`${server.key}\ndrift`);
    expect(stdout).toMatch(/^ingress +internal +all$/m);
    expect(stdout).toMatch(
      /^urlMap internal-lb-url-map \.defaultService +backendServices\/internal-lb-backend-svc +backendServices\/decoy-backend-svc$/m,
    );
    expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120); // shortened references fit a terminal
    expect(stdout).toContain(
      'steps a reconcile would take (one level at a time, the steps of a level in parallel):\n  1. ~ set ingress of server-service to internal\n',
    );
    expect(stdout).toContain(`${other.key}: no drift`);
    expect(emulator.writes()).toBe(writesBefore);
  });

  test("--json is a report per service (the report topic's shape): drift and the planned steps", async () => {
    await breakServer();
    const { code, stdout } = await runCli(['diff', '--config', yamlMesh, '--json'], { env });
    expect(code).toBe(2);
    const out = JSON.parse(stdout) as {
      command: string;
      reports: Array<{ serviceKey: string; outcome: string; drift: Array<{ type: string }>; plannedSteps: unknown[] }>;
    };
    expect(out.command).toBe('diff');
    expect(out.reports.map((s) => s.serviceKey)).toEqual([server.key, other.key]);
    const [broken, fine] = out.reports;
    expect(broken?.drift.map((d) => d.type).sort()).toEqual(['ingress', 'mutable']);
    expect(broken?.plannedSteps.length).toBeGreaterThan(0);
    expect(fine).toMatchObject({ outcome: 'in-sync', drift: [] });
  });

  test('--service narrows to one service (by name or key); the drifted one alone exits 2, the other 0', async () => {
    await breakServer();
    const fine = await runCli(['diff', '--config', yamlMesh, '--service', 'other-service'], { env });
    expect({ code: fine.code, stderr: fine.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fine.stdout).toMatch(new RegExp(`^${other.key}: no drift\n${other.key} chain:\n`));
    const broken = await runCli(['diff', '--config', yamlMesh, '--service', server.key], { env });
    expect(broken.code).toBe(2);
    expect(broken.stdout).not.toContain(other.key);
  });

  test('an undeclared --service is an error naming it and the declared ones (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['diff', '--config', yamlMesh, '--service', 'nope'], { env });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`--service nope: not declared; declared: ${server.key}, ${other.key}`);
  });

  test('a missing mesh file is an error naming the file (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['diff', '--config', '/nonexistent/mesh.yaml'], { env });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('/nonexistent/mesh.yaml');
    expect(stderr).toContain('file not found');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a read that keeps failing is an error (exit 1) naming what could not be read, never "no drift"', async () => {
    emulator.faults.set({ rate503: 1, errorMethods: ['GetService'] });
    const { code, stdout } = await runCli(['diff', '--config', yamlMesh, '--service', 'server-service'], { env });
    emulator.faults.reset();
    expect(stdout).not.toContain('no drift');
    expect(stdout).toContain('Cloud Run service server-service');
    expect(code).toBe(1);
  }, 30_000);
});

describe('reconcile', () => {
  test('--dry-run plans the repair and writes nothing (exit 2: drift left)', async () => {
    await breakServer();
    const writesBefore = emulator.writes();
    const { code, stdout } = await runCli(['reconcile', '--dry-run', '--config', yamlMesh], { env });
    expect(code).toBe(2);
    expect(stdout).toMatch(new RegExp(`^${server.key}: drift-detected.*\\(0 writes`, 'm'));
    expect(stdout).toMatch(/^ingress +internal +all$/m);
    expect(stdout).toMatch(new RegExp(`^${other.key}: in-sync`, 'm'));
    expect(emulator.writes()).toBe(writesBefore);
  });

  test('repairs as its own principal (exit 0); diff then agrees; a second run writes nothing', async () => {
    await breakServer();
    const writesBefore = emulator.writes();
    const first = await runCli(['reconcile', '--config', yamlMesh], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^${server.key}: repaired \\([1-9]\\d* writes?`, 'm'));
    const repairs = emulator.mutations.slice(writesBefore);
    expect(repairs.length).toBeGreaterThan(0);
    expect(repairs.every((m) => m.principal === SELF)).toBe(true);
    expect(repairs.some((m) => m.resourceName.includes('decoy'))).toBe(false);

    expect((await runCli(['diff', '--config', yamlMesh], { env })).code).toBe(0);
    const writesAfter = emulator.writes();
    const second = await runCli(['reconcile', '--config', yamlMesh, '--json'], { env });
    expect(second.code).toBe(0);
    expect(emulator.writes()).toBe(writesAfter);
    const out = JSON.parse(second.stdout) as { reports: Array<{ outcome: string; writes: number }> };
    expect(out.reports.map((o) => [o.outcome, o.writes])).toEqual([
      ['in-sync', 0],
      ['in-sync', 0],
    ]);
  });

  test('a repair the API refuses is exit 1 with the failure shown', async () => {
    await breakServer();
    emulator.faults.set({ reject: [{ method: 'UpdateService', error: 'permissionDenied' }] });
    const { code, stdout } = await runCli(['reconcile', '--config', yamlMesh, '--service', 'server-service'], { env });
    expect(code).toBe(1);
    // The URL map patch is a change made (1 write); the refused ingress update is an attempt, not a write.
    expect(stdout).toMatch(
      new RegExp(`^${server.key}: failed: setIngress server-service: .*PERMISSION_DENIED.* \\(1 write, 2 write attempts, `, 'm'),
    );
    expect(stdout).toMatch(/^ {2}✓ ~ patch defaultService on urlMap internal-lb-url-map {2}done \d+\.\d\d s$/m);
    expect(stdout).toMatch(/^ {2}✗ ~ set ingress of server-service to internal {2}failed \d+\.\d\d s: /m);
  });
});
