// `replay` on every input format, fed with audit entries the emulator wrote while a person broke
// the mesh (and the real-shaped fixtures): one reconcile per affected service, counted at the
// emulator (one Cloud Run GetService per reconcile's read round), malformed records reported by
// index, time filtering, stdin, progress output, --json and exit codes.
import { totalCalls } from '../emulator/request-counts';
import { startEmulator, type Emulator, type LogEntry } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { FIXTURES, fixture } from '../fixtures/events';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, removeTempDirs, runCli, SELF, writeMesh, writeText } from './cli-harness';
import { REPLAY_FORMATS, replayFile, wrap } from './replay-inputs';

const server = declaredService();
const other = declaredService('other-service', 'other-lb', '10.0.0.101');

interface Summary {
  records: number;
  malformed: { index: number; error: string }[];
  skipped: Record<string, number>;
  outOfRange: number;
  services: string[];
  reports: Array<{
    serviceKey: string;
    outcome: string;
    writes: number;
    trigger?: { principal?: string; methodName: string; insertId: string };
  }>;
  published?: number;
}

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let mesh: string;
/** What the audit log said while alice opened server-service and deleted its forwarding rule. */
let brokeServer: LogEntry[];
/** ... and while she opened other-service. */
let brokeOther: LogEntry[];

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(server, other), operationDelayMs: 0 });
  env = emulatorEnv(emulator);
  mesh = writeMesh([server, other]);
  const actor = new DriftActor(emulator.url);
  await actor.openIngress(server);
  await actor.deleteResource(server, 'forwardingRule');
  brokeServer = structuredClone(emulator.audit.entries);
  await actor.openIngress(other);
  brokeOther = structuredClone(emulator.audit.entries.slice(brokeServer.length));
}, 60_000);
afterAll(async () => {
  removeTempDirs();
  await emulator.stop();
});

/**
 * Reconciles = outcome reports printed (one per reconcile run). The emulator checks the reads
 * behind them: a reconcile reads its Cloud Run service at most three times (a shared list or a
 * GET, a fresh GET before a write, the verifying GET), and no reconcile means no read.
 */
const serviceReads = () => totalCalls(emulator.requests(), { api: 'run', method: /(GetService|ListServices)$/ });

async function replayJson(args: string[], stdin?: string) {
  const before = serviceReads();
  const result = await runCli(['replay', '--config', mesh, '--json', ...args], { env, ...(stdin === undefined ? {} : { stdin }) });
  const runCalls = serviceReads() - before;
  const summary = JSON.parse(result.stdout) as Summary;
  const reconciles = summary.reports?.length ?? 0;
  expect(runCalls).toBeLessThanOrEqual(3 * reconciles);
  if (reconciles > 0) expect(runCalls).toBeGreaterThan(0);
  return { ...result, summary, reconciles };
}

describe.each(REPLAY_FORMATS)('%s', (format) => {
  test('the entries of one break cause exactly one reconcile of the service they name', async () => {
    const file = writeText(`export.${format}.json`, replayFile(brokeServer, format));
    const { code, stderr, summary, reconciles } = await replayJson(['--dry-run', file]);
    expect(stderr).toBe('');
    expect(summary.malformed).toEqual([]);
    expect(summary.records).toBe(4);
    // Compute's first entry of the delete waits for its last; Cloud Run's first and last both route.
    expect(summary.skipped).toEqual({ 'operation-first': 1 });
    expect(summary.services).toEqual([server.key]);
    expect(summary.reports.map((o) => [o.serviceKey, o.outcome, o.writes])).toEqual([[server.key, 'drift-detected', 0]]);
    expect(reconciles).toBe(1);
    expect(code).toBe(2); // dry-run leaves the drift
  });
});

test('gcloud export of the real-shaped fixtures plus captured entries: both services, once each', async () => {
  const entries = [
    fixture(FIXTURES.runV1ReplaceIngressAll),
    fixture(FIXTURES.computeDeleteFirst),
    fixture(FIXTURES.computeDeleteLast),
    ...brokeServer,
    ...brokeOther,
  ];
  const file = writeText('gcloud.json', replayFile(entries, 'gcloud-array'));
  const { summary, reconciles } = await replayJson(['--dry-run', file]);
  expect(summary.records).toBe(entries.length);
  expect(summary.malformed).toEqual([]);
  expect([...summary.services].sort()).toEqual([other.key, server.key]);
  expect(summary.reports).toHaveLength(2);
  expect(reconciles).toBe(2);
});

test("the Logging API's entries.list response (the emulator's GET /admin/audit) is read entry by entry", async () => {
  const listed = await (await fetch(`${emulator.url}/admin/audit`)).text();
  const { summary, reconciles } = await replayJson(['--dry-run', writeText('entries-list.json', listed)]);
  expect(summary.records).toBe(emulator.audit.entries.length);
  expect(summary.malformed).toEqual([]);
  expect([...summary.services].sort()).toEqual([other.key, server.key]);
  expect(reconciles).toBe(2);
});

test('mixed formats in one JSON-lines file are each detected per record', async () => {
  const [ingressFirst, ingressLast, , ruleLast] = brokeServer as [LogEntry, LogEntry, LogEntry, LogEntry];
  const lines = [
    wrap(ingressFirst, 'pubsub-pull', 1),
    wrap(ingressLast, 'cloudevent-published', 2),
    wrap(ruleLast, 'cloudevent-audit-log', 3),
    wrap(brokeOther[0], 'push-body', 4),
  ].map((r) => JSON.stringify(r));
  const { summary, reconciles } = await replayJson(['--dry-run', writeText('mixed.jsonl', lines.join('\n'))]);
  expect(summary.malformed).toEqual([]);
  expect(summary.services).toEqual([server.key, other.key]);
  expect(reconciles).toBe(2);
});

test('malformed records are reported by index and the rest go on', async () => {
  const [, ingressLast] = brokeServer as [LogEntry, LogEntry];
  const lines = [
    JSON.stringify(ingressLast),
    'this is not json',
    JSON.stringify({ hello: 'world' }),
    JSON.stringify({ data: Buffer.from('{"truncated": ').toString('base64'), messageId: '42' }),
    JSON.stringify({ specversion: '1.0', type: 'google.cloud.storage.object.v1.finalized', id: 'x', source: 's', data: {} }),
    JSON.stringify(wrap(brokeOther[0], 'pubsub-message', 5)),
  ];
  const file = writeText('bad.jsonl', lines.join('\n'));
  const json = await replayJson(['--dry-run', file]);
  expect(json.summary.malformed.map((m) => m.index)).toEqual([1, 2, 3, 4]);
  expect(json.summary.malformed[0]?.error).toContain('not JSON');
  expect(json.summary.malformed[1]?.error).toContain('fields: hello');
  expect(json.summary.malformed[2]?.error).toContain('Pub/Sub message 42');
  expect(json.summary.malformed[3]?.error).toContain('unsupported CloudEvent type "google.cloud.storage.object.v1.finalized"');
  expect(json.summary.services).toEqual([server.key, other.key]);
  expect(json.reconciles).toBe(2);

  // People see each bad record on stderr, by index, and the summary counts them.
  const plain = await runCli(['replay', '--dry-run', '--config', mesh, file], { env });
  expect(
    plain.stderr
      .split('\n')
      .filter((l) => /^record \d+: malformed: /.test(l))
      .map((l) => l.split(':')[0]),
  ).toEqual(['record 1', 'record 2', 'record 3', 'record 4']);
  expect(plain.stdout).toContain('replay: 6 records, 4 malformed');
  expect(plain.stdout).toContain('2 services affected, 2 services reconciled');
});

test('a file of nothing but malformed records is an error (exit 1) with no reconcile', async () => {
  const { code, summary, reconciles } = await replayJson([writeText('junk.jsonl', 'nope\n{"a":1}\n')]);
  expect(summary.malformed.map((m) => m.index)).toEqual([0, 1]);
  expect(reconciles).toBe(0);
  expect(code).toBe(1);
});

test('irrelevant entries only: nothing to reconcile, exit 0', async () => {
  const decoyOnly = structuredClone(brokeOther[1]) as LogEntry & { protoPayload: Record<string, unknown> };
  decoyOnly.protoPayload.resourceName = 'projects/demo-project/locations/asia-northeast1/services/someone-elses-service';
  const failed = structuredClone(brokeOther[1]) as LogEntry & { protoPayload: Record<string, unknown> };
  failed.protoPayload.status = { code: 7, message: 'PERMISSION_DENIED' };
  const { code, summary, reconciles } = await replayJson([writeText('irrelevant.jsonl', replayFile([decoyOnly, failed], 'json-lines'))]);
  expect(summary.skipped).toEqual({ 'not-declared': 1, 'failed-call': 1 });
  expect(summary.services).toEqual([]);
  expect(reconciles).toBe(0);
  expect(code).toBe(0);
});

describe('--since / --until', () => {
  /** The ingress-opening entry of each service, dated: server-service in January, other-service in June. */
  const dated = () => {
    const a = structuredClone(brokeServer[1]) as LogEntry;
    const b = structuredClone(brokeOther[1]) as LogEntry;
    a.timestamp = '2026-01-15T00:00:00Z';
    b.timestamp = '2026-06-15T00:00:00Z';
    return writeText('dated.jsonl', replayFile([a, b], 'json-lines'));
  };

  test('--since keeps entries at or after the time, --until those before it', async () => {
    const file = dated();
    const since = await replayJson(['--dry-run', '--since', '2026-03-01T00:00:00Z', file]);
    expect(since.summary).toMatchObject({ services: [other.key], outOfRange: 1 });
    expect(since.reconciles).toBe(1);
    const until = await replayJson(['--dry-run', '--until', '2026-03-01T00:00:00Z', file]);
    expect(until.summary).toMatchObject({ services: [server.key], outOfRange: 1 });
    const both = await replayJson(['--dry-run', '--since', '2026-01-15T00:00:00Z', '--until', '2026-06-15T00:00:00Z', file]);
    expect(both.summary).toMatchObject({ services: [server.key], outOfRange: 1 });
    const none = await replayJson(['--dry-run', '--since', '2027-01-01T00:00:00Z', file]);
    expect(none.summary).toMatchObject({ services: [], outOfRange: 2 });
    expect(none.reconciles).toBe(0);
  });

  test('the range is applied first: an entry outside it counts as outside, whatever intake would skip it for', async () => {
    const january = brokeServer.map((entry) => ({ ...structuredClone(entry), timestamp: '2026-01-15T00:00:00Z' }) as LogEntry);
    const file = writeText('january.jsonl', replayFile(january, 'json-lines'));
    const { summary, reconciles } = await replayJson(['--dry-run', '--since', '2026-03-01T00:00:00Z', file]);
    expect(summary).toMatchObject({ records: 4, outOfRange: 4, skipped: {}, services: [] }); // the operation-first one included
    expect(reconciles).toBe(0);
  });

  test('only RFC 3339 date-times: a year, a date or a time without zone is refused', async () => {
    for (const loose of ['2026', '2026-11-25', '2026-11-25T09:00:00', 'yesterday']) {
      const { code, stderr } = await runCli(['replay', '--config', mesh, '--since', loose, dated()], { env });
      expect({ loose, code }).toEqual({ loose, code: 1 });
      expect(stderr).toContain(`--since must be an RFC 3339 time such as 2026-11-25T09:00:00Z, got "${loose}"`);
    }
    const offset = await replayJson(['--dry-run', '--since', '2026-03-01T09:00:00+09:00', dated()]);
    expect(offset.summary).toMatchObject({ services: [other.key], outOfRange: 1 });
  });

  test('a bad time or an empty range is a usage error naming the flag (exit 1)', async () => {
    const file = dated();
    const bad = await runCli(['replay', '--config', mesh, '--since', 'yesterday', file], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--since must be an RFC 3339 time such as 2026-11-25T09:00:00Z, got "yesterday"');
    const empty = await runCli(['replay', '--config', mesh, '--since', '2026-06-01T00:00:00Z', '--until', '2026-01-01T00:00:00Z', file], {
      env,
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('--since 2026-06-01T00:00:00Z is not before --until 2026-01-01T00:00:00Z');
  });
});

test('--service narrows the replay; events naming only other services are counted as not-selected', async () => {
  const file = writeText('both.json', replayFile([...brokeServer, ...brokeOther], 'gcloud-array'));
  const { summary, reconciles } = await replayJson(['--dry-run', '--service', 'other-service', file]);
  expect(summary.services).toEqual([other.key]);
  expect(summary.skipped).toEqual({ 'operation-first': 1, 'not-selected': 3 });
  expect(reconciles).toBe(1);
});

test('a cut-off gcloud export is reported once, not once per line, and is an error', async () => {
  const text = replayFile(brokeServer, 'gcloud-array');
  const { code, summary, reconciles } = await replayJson([writeText('cut.json', text.slice(0, text.length / 2))]);
  expect(summary.malformed).toEqual([
    { index: 0, error: expect.stringContaining('a JSON array (as gcloud logging read --format=json prints) that does not parse') },
  ]);
  expect(reconciles).toBe(0);
  expect(code).toBe(1);
});

test('--service named twice reconciles and lists the service once', async () => {
  const file = writeText('both-twice.json', replayFile([...brokeServer, ...brokeOther], 'gcloud-array'));
  const { summary, reconciles } = await replayJson(['--dry-run', '--service', 'other-service', '--service', other.key, file]);
  expect(summary.services).toEqual([other.key]);
  expect(summary.reports.map((r) => r.serviceKey)).toEqual([other.key]);
  expect(reconciles).toBe(1);
});

test('an empty input is an error, not "0 records" and exit 0', async () => {
  for (const text of ['', '\n\n']) {
    const { code, stdout, stderr } = await runCli(['replay', '--config', mesh, writeText('empty.json', text)], { env });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/empty\.json: no records \(the input is empty\)\n/);
  }
  const piped = await runCli(['replay', '--config', mesh, '--json', '-'], { env, stdin: '' });
  expect(piped.code).toBe(1);
  expect(JSON.parse(piped.stdout)).toMatchObject({ command: 'replay', error: { message: 'stdin: no records (the input is empty)' } });
});

test('- reads stdin', async () => {
  const { summary, reconciles } = await replayJson(['--dry-run', '-'], replayFile(brokeOther, 'pubsub-message'));
  expect(summary.services).toEqual([other.key]);
  expect(reconciles).toBe(1);
});

test('usage errors: no file, two files, a missing file, a bad --publish topic (exit 1)', async () => {
  const cases: Array<[string[], string]> = [
    [[], 'replay needs a FILE (- reads stdin) or --subscription'],
    [['a', 'b'], 'too many arguments'],
    [['/nonexistent/export.json'], '/nonexistent/export.json'],
    [['--publish', 'my-topic', '-'], '--publish must be projects/PROJECT/topics/TOPIC, got my-topic'],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await runCli(['replay', '--config', mesh, ...args], { env });
    expect({ args, code }).toEqual({ args, code: 1 });
    expect(stderr).toContain(message);
  }
});

describe('output', () => {
  const file = () => writeText('both.jsonl', replayFile([...brokeServer, ...brokeOther], 'json-lines'));

  test('not a terminal: plain lines, one per reconcile, then the summary; no progress bar', async () => {
    const { code, stdout, stderr } = await runCli(['replay', '--dry-run', '--config', mesh, file()], { env, isTTY: false });
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    const headlines = lines.filter((line) => /^demo-project\//.test(line));
    expect(headlines.sort()).toEqual([
      expect.stringMatching(new RegExp(`^${other.key}: drift-detected: dry-run: nothing written \\(0 writes, \\d+\\.\\d\\d s\\)$`)),
      expect.stringMatching(new RegExp(`^${server.key}: drift-detected: dry-run: nothing written \\(0 writes`)),
    ]);
    // a dry run shows the steps it would take under each drift table
    expect(stdout).toContain(
      'steps a reconcile would take (one level at a time, the steps of a level in parallel):\n  1. ~ set ingress of server-service to internal\n',
    );
    expect(lines.at(-1)).toBe(
      'replay: 6 records, 0 malformed, 0 outside the time range, skipped: operation-first 1; 2 services affected, 2 services reconciled',
    );
  });

  test('a terminal: a progress bar redrawn in place on stderr, completed, and the same results', async () => {
    const { code, stdout, stderr } = await runCli(['replay', '--dry-run', '--config', mesh, file()], { env, isTTY: true });
    expect(code).toBe(2);
    expect(stderr).toMatch(/\rreading \[#{30}\] 6\/6\n/);
    expect(stderr).toMatch(/\rreconciling \[#{30}\] 2\/2\n/);
    expect(stdout).toContain('2 services affected, 2 services reconciled');
  });

  test('--json prints one document and nothing else', async () => {
    const { stdout, stderr, summary } = await replayJson(['--dry-run', file()]);
    expect(stderr).toBe('');
    expect(Object.keys(summary).sort()).toEqual([
      'command',
      'malformed',
      'outOfRange',
      'records',
      'reports',
      'schemaVersion',
      'services',
      'skipped',
    ]);
    expect(stdout.trim().startsWith('{')).toBe(true);
  });
});

// Last: this one repairs the mesh the other cases read as broken.
test('without --dry-run the affected services are repaired (exit 0) and their own entries replay to nothing', async () => {
  const entries = [...brokeServer, ...brokeOther];
  const writesBefore = emulator.writes();
  const { code, summary, reconciles } = await replayJson([writeText('repair.json', replayFile(entries, 'gcloud-array'))]);
  expect(code).toBe(0);
  expect(summary.reports.map((o) => o.outcome)).toEqual(['repaired', 'repaired']);
  // Each reconcile carries the latest event that named its service: who changed it, for Slack and reports.
  const latest = (broke: LogEntry[]) =>
    broke
      .filter(
        (e) =>
          e.timestamp ===
          broke
            .map((x) => x.timestamp)
            .sort()
            .at(-1),
      )
      .map((e) => e.insertId);
  const trigger = (key: string) => summary.reports.find((o) => o.serviceKey === key)?.trigger;
  expect(latest(brokeServer)).toContain(trigger(server.key)?.insertId);
  expect(latest(brokeOther)).toContain(trigger(other.key)?.insertId);
  expect([trigger(server.key)?.principal, trigger(other.key)?.principal]).toEqual(['alice@example.com', 'alice@example.com']);
  expect(reconciles).toBeGreaterThanOrEqual(2);
  const repairs = emulator.mutations.slice(writesBefore);
  expect(repairs.length).toBeGreaterThan(0);
  expect(repairs.every((m) => m.principal === SELF)).toBe(true);

  // The function's own repairs come back as audit entries; replaying them must not reconcile.
  const own = emulator.audit.entries.filter((e) => JSON.stringify(e.protoPayload).includes(SELF));
  expect(own.length).toBeGreaterThan(0);
  const loop = await replayJson([writeText('own.json', replayFile(own, 'gcloud-array'))]);
  expect(loop.summary.services).toEqual([]);
  expect(loop.summary.skipped['own-principal']).toBeGreaterThan(0);
  expect(loop.reconciles).toBe(0);
});
