// A 10,000-entry export naming 5 services causes exactly 5 reconciles.
// The entries are the audit log the emulator wrote while a person broke each of 5 declared
// services (Cloud Run UpdateService first/last, Compute delete first/last pairs), plus irrelevant
// ones (decoys outside the mesh, refused calls, the function's own repairs), repeated with fresh
// insertIds, operation ids and times to 10,000. Reconciles are counted at the emulator.
import { startEmulator, type Emulator, type LogEntry } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, removeTempDirs, runCli, SELF, writeMesh, writeText } from './cli-harness';
import { replayFile } from './replay-inputs';

const SERVICES = Array.from({ length: 5 }, (_, i) => declaredService(`svc-${i}`, `lb-${i}`, `10.0.1.${10 + i}`));
const TOTAL = 10_000;

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let mesh: string;
let exportFile: string;
let templates: LogEntry[];

/** `templates` repeated to `total` entries; a first/last pair keeps one (new) operation id per round. */
function manyEntries(total: number): LogEntry[] {
  const base = Date.parse('2026-11-25T00:00:00Z');
  return Array.from({ length: total }, (_, i) => {
    const round = Math.floor(i / templates.length);
    const entry = structuredClone(templates[i % templates.length] as LogEntry);
    entry.insertId = `${entry.insertId}-${round}`;
    entry.timestamp = new Date(base + i * 10).toISOString();
    if (entry.operation) entry.operation.id = `${entry.operation.id}-${round}`;
    return entry;
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(...SERVICES), operationDelayMs: 0 });
  env = emulatorEnv(emulator);
  mesh = writeMesh(SERVICES);
  const alice = new DriftActor(emulator.url);
  await alice.createDecoys(SERVICES[0] as (typeof SERVICES)[number]); // outside the mesh: not-declared
  for (const svc of SERVICES) {
    await alice.openIngress(svc);
    await alice.deleteResource(svc, 'forwardingRule');
  }
  const refused = structuredClone(emulator.audit.entries.at(-1) as LogEntry);
  (refused.protoPayload as Record<string, unknown>).status = { code: 7, message: 'PERMISSION_DENIED' };
  // The function's own identity at work on a declared service: it must not set off a reconcile.
  const own = structuredClone(emulator.audit.entries.at(-3) as LogEntry);
  (own.protoPayload as { authenticationInfo: { principalEmail: string } }).authenticationInfo.principalEmail = SELF;
  templates = [...structuredClone(emulator.audit.entries), refused, own];
  exportFile = writeText('export-10000.json', replayFile(manyEntries(TOTAL), 'gcloud-array'));
}, 60_000);
afterAll(async () => {
  removeTempDirs();
  await emulator.stop();
});

interface Summary {
  records: number;
  malformed: unknown[];
  skipped: Record<string, number>;
  services: string[];
  reports: Array<{ serviceKey: string; outcome: string }>;
}

test('10,000 entries naming 5 services: exactly 5 reconciles that repair them, then exactly 5 read-only ones', async () => {
  const keys = SERVICES.map((s) => s.key);
  const writesBefore = emulator.writes();
  const ratesBefore = emulator.rates();
  const started = Date.now();
  const repair = await runCli(['replay', '--json', '--config', mesh, exportFile], { env: { ...env, MESH_REMEDIATOR_LOG: 'stderr' } });
  const repairMs = Date.now() - started;
  expect(repair.code).toBe(0);
  const summary = JSON.parse(repair.stdout) as Summary;
  expect(summary.records).toBe(TOTAL);
  expect(summary.malformed).toEqual([]);
  expect(summary.skipped['not-declared']).toBeGreaterThan(0);
  expect(summary.skipped['failed-call']).toBeGreaterThan(0);
  expect(summary.skipped['own-principal']).toBeGreaterThan(0);
  expect(summary.skipped['operation-first']).toBeGreaterThan(0);
  expect([...summary.services].sort()).toEqual([...keys].sort());
  expect(summary.reports.map((o) => o.outcome)).toEqual(['repaired', 'repaired', 'repaired', 'repaired', 'repaired']);

  // One outcome line per reconcile in the structured log (what the deployed function's metric counts).
  const outcomeLines = repair.stderr.split('\n').filter((l) => l.includes('"event":"mesh-remediator.outcome"'));
  expect(outcomeLines.map((l) => (JSON.parse(l) as { serviceKey: string }).serviceKey).sort()).toEqual([...keys].sort());
  // Exactly one ingress repair and one forwarding-rule re-creation per service, by the function.
  const repairs = emulator.mutations.slice(writesBefore);
  expect(repairs.every((m) => m.principal === SELF)).toBe(true);
  expect(
    repairs
      .filter((m) => m.methodName.endsWith('UpdateService'))
      .map((m) => m.resourceName.split('/').pop())
      .sort(),
  ).toEqual(SERVICES.map((s) => s.service));
  expect(repairs.filter((m) => m.methodName.endsWith('forwardingRules.insert'))).toHaveLength(5);
  const repairRates = emulator.rates();

  // Again, dry-run, over the repaired mesh: the 5 reconciles of one project-region start together
  // and share one read round (observation through snapshots): at most one Cloud Run list and one
  // list per Compute kind, never more than one GET round per service, and no write.
  const before = emulator.rates();
  const writesAfterRepair = emulator.writes();
  const t1 = Date.now();
  const check = await runCli(['replay', '--dry-run', '--json', '--config', mesh, exportFile], { env });
  const checkMs = Date.now() - t1;
  expect(check.code).toBe(0);
  const after = emulator.rates();
  expect(after.run.total - before.run.total).toBeGreaterThanOrEqual(1);
  expect(after.run.total - before.run.total).toBeLessThanOrEqual(5);
  expect(after.compute.total - before.compute.total).toBeGreaterThanOrEqual(6);
  expect(after.compute.total - before.compute.total).toBeLessThanOrEqual(5 * 6);
  expect(emulator.writes()).toBe(writesAfterRepair);
  expect((JSON.parse(check.stdout) as Summary).reports.map((o) => o.outcome)).toEqual(Array(5).fill('in-sync'));

  const figures = {
    entries: TOTAL,
    repairReplayMs: repairMs,
    repairRunRequests: repairRates.run.total - ratesBefore.run.total,
    repairComputeRequests: repairRates.compute.total - ratesBefore.compute.total,
    dryRunReplayMs: checkMs,
    skipped: summary.skipped,
  };
  process.stderr.write(`replay of ${TOTAL} entries: ${JSON.stringify(figures)}\n`);
  // "Reasonably fast": reading and routing 10,000 entries is not the slow part of a replay.
  expect(checkMs).toBeLessThan(20_000);
}, 120_000);
