// What an on-call SRE reads: `status` (the fleet on one screen), `explain` (why an event was or
// was not acted on), the chain picture of `diff`/`status --service` for each kind of drift (text,
// Mermaid, dot), paused and missing services, colour, and the --json of every command validated
// against the JSON Schema (cli-output.schema.json, whose reports are report.schema.json's).
import { startEmulator, type Emulator, type LogEntry } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, removeTempDirs, runCli, SELF, writeMesh, writeText, cliSchemaErrors } from './cli-harness';

/** Parses a --json stdout and checks it against the schema; returns the document. */
function document(stdout: string): Record<string, unknown> & { reports: Array<Record<string, unknown>> } {
  const doc = JSON.parse(stdout) as Record<string, unknown> & { reports: Array<Record<string, unknown>> };
  expect(cliSchemaErrors(doc)).toEqual([]);
  return doc;
}

const server = declaredService();
const other = declaredService('other-service', 'other-lb', '10.0.0.101');
const ghost = declaredService('ghost-service', 'ghost-lb', '10.0.0.102'); // declared, never deployed

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let mesh: string;
let actor: DriftActor;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(server, other), operationDelayMs: 0 });
  env = emulatorEnv(emulator);
  mesh = writeMesh([server, other]);
  actor = new DriftActor(emulator.url);
}, 60_000);
afterAll(async () => {
  removeTempDirs();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

const PLAIN = { NO_COLOR: '1' };

describe('status', () => {
  test('in sync: one row per service, every link ok, a summary line, exit 0, nothing written', async () => {
    const { code, stdout, stderr } = await runCli(['status', '--config', mesh], { env });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^${server.key} +internal +✓ ✓ ✓ ✓ ✓ ✓ ✓ +- +in sync$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${other.key} +internal +✓ ✓ ✓ ✓ ✓ ✓ ✓ +- +in sync$`, 'm'));
    expect(stdout).toContain(
      'chain: address → forwarding rule → target proxy → URL map → backend service → serverless NEG → Cloud Run service; ✓ ok, ✗ missing, ~ drifted, ? unknown',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('2 services: 2 in sync, 0 drifted, 0 paused, 0 missing');
    expect(emulator.writes()).toBe(0);
  });

  test('drifted, paused and missing services side by side: each row says so, exit 2', async () => {
    await actor.openIngress(server);
    await actor.deleteResource(server, 'forwardingRule');
    await actor.annotate(other, { 'mesh-remediator/paused-until': '2099-01-01T00:00:00Z' });
    await actor.openIngress(other);
    const { code, stdout } = await runCli(['status', '--config', writeMesh([server, other, ghost])], { env });
    expect(code).toBe(2);
    expect(stdout).toMatch(new RegExp(`^${server.key} +all +✓ ✗ ✓ ✓ ✓ ✓ ~ +- +would repair$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${other.key} +all +✓ ✓ ✓ ✓ ✓ ✓ ~ +2099-01-01T00:00:00(\\.000)?Z +paused$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${ghost.key} +- +✗ ✗ ✗ ✗ ✗ ✗ ✗ +- +service missing$`, 'm'));
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('3 services: 0 in sync, 1 drifted, 1 paused, 1 missing');
    expect(emulator.writes()).toBe(4); // the test's own changes; status wrote nothing
  });

  test('--json: the schema-versioned reports and the summary, valid against the schema', async () => {
    await actor.openIngress(server);
    const { code, stdout } = await runCli(['status', '--config', mesh, '--json'], { env });
    expect(code).toBe(2);
    const doc = document(stdout);
    expect(doc).toMatchObject({ command: 'status', summary: { services: 2, inSync: 1, drifted: 1, paused: 0, missing: 0, errors: 0 } });
    expect(doc.reports.map((r) => [r.serviceKey, r.outcome])).toEqual([
      [server.key, 'drift-detected'],
      [other.key, 'in-sync'],
    ]);
  });

  test('a service that cannot be read: "?" links, an error verdict, exit 1', async () => {
    emulator.faults.set({ rate503: 1, errorMethods: ['GetService'] }); // every read of the service fails, retries included
    const { code, stdout } = await runCli(['status', '--config', mesh, '--service', 'server-service'], { env });
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${server.key} +\\? +\\? \\? \\? \\? \\? \\? \\? +- +error$`, 'm'));
    expect(stdout).toContain('1 service: 0 in sync, 0 drifted, 0 paused, 0 missing, 1 unreadable');
  });
});

describe('the chain picture, for each kind of drift', () => {
  const picture = async (service = server.key) => {
    const { code, stdout } = await runCli(['diff', '--config', mesh, '--service', service], { env: { ...env, ...PLAIN } });
    expect(code).toBe(2);
    return stdout.slice(stdout.indexOf(`${service} chain:`));
  };

  test('ingress opened: the Cloud Run service link drifted', async () => {
    await actor.openIngress(server);
    expect(await picture()).toContain('  → ~ Cloud Run service  server-service            drifted: ingress\n');
  });

  test('a resource deleted: that link missing, the others ok', async () => {
    await actor.deleteResource(server, 'forwardingRule');
    const text = await picture();
    expect(text).toContain('  → ✗ forwarding rule    internal-lb-frontend      missing\n');
    expect(text).toContain('    ✓ address            internal-lb-ip            ok\n');
  });

  test('a reference rewired (URL map → decoy): that link drifted with the field', async () => {
    await actor.createDecoys(server);
    await actor.pointUrlMapAt(server, 'decoy-backend-svc');
    expect(await picture()).toContain('  → ~ URL map            internal-lb-url-map       drifted: defaultService\n');
  });

  test('an immutable field (the rule recreated on another port): drifted, and the plan says it leaves it', async () => {
    await actor.recreateRuleOnPort(server, 8080);
    const { stdout } = await runCli(['diff', '--config', mesh, '--service', 'server-service'], { env: { ...env, ...PLAIN } });
    expect(stdout).toContain('  → ~ forwarding rule    internal-lb-frontend      drifted: portRange\n');
    expect(stdout).toMatch(/^forwardingRule internal-lb-frontend \.portRange \(immutable\) +80 +8080(-8080)?$/m);
    expect(stdout).toMatch(/^not repaired: forwardingRule internal-lb-frontend \.portRange \(immutable\): immutable field/m);
  });

  test('the Cloud Run service missing: every link missing, nothing planned, nothing built by reconcile', async () => {
    const ghostMesh = writeMesh([ghost]);
    const diff = await runCli(['diff', '--config', ghostMesh, '--service', 'ghost-service'], { env: { ...env, ...PLAIN } });
    expect(diff.code).toBe(2);
    expect(diff.stdout).toMatch(/^Cloud Run service ghost-service +exists +service missing$/m);
    expect(diff.stdout).toMatch(
      /^not repaired: Cloud Run service ghost-service, address ghost-lb-ip, .*, forwardingRule ghost-lb-frontend: the Cloud Run service does not exist/m,
    );
    expect(diff.stdout).toContain('  → ✗ Cloud Run service  ghost-service          missing\n');
    expect(diff.stdout).not.toContain('steps a reconcile would take');
    const reconcile = await runCli(['reconcile', '--config', ghostMesh], { env: { ...env, ...PLAIN } });
    expect(reconcile.code).toBe(2);
    expect(reconcile.stdout).toMatch(
      new RegExp(`^${ghost.key}: drift-detected: drift left unrepaired: the Cloud Run service does not exist.* \\(0 writes, `, 'm'),
    );
    expect(emulator.writes()).toBe(0);
  });

  test('--format mermaid and dot: one node per link with its state, in traffic order', async () => {
    await actor.openIngress(server);
    await actor.deleteResource(server, 'forwardingRule');
    const mermaid = await runCli(['status', '--config', mesh, '--service', 'server-service', '--format', 'mermaid'], { env });
    expect(mermaid.code).toBe(2);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.stdout).toContain('s0_forwardingRule["✗ forwarding rule<br/>internal-lb-frontend<br/>missing"]:::missing');
    expect(mermaid.stdout).toContain('s0_runService["~ Cloud Run service<br/>server-service<br/>drifted: ingress"]:::drifted');
    expect(mermaid.stdout).toContain(
      's0_address --> s0_forwardingRule --> s0_targetProxy --> s0_urlMap --> s0_backendService --> s0_neg --> s0_runService',
    );
    const dot = await runCli(['diff', '--config', mesh, '--service', 'server-service', '--format', 'dot'], { env });
    expect(dot.stdout).toMatch(/^digraph chain \{\n/);
    expect(dot.stdout).toContain(
      's0_forwardingRule [label="✗ forwarding rule\\ninternal-lb-frontend\\nmissing", fillcolor="#fce8e6", color="#d93025"];',
    );
    expect(dot.stdout).toContain(
      's0_address -> s0_forwardingRule -> s0_targetProxy -> s0_urlMap -> s0_backendService -> s0_neg -> s0_runService;',
    );
    expect(dot.stdout.trimEnd().endsWith('}')).toBe(true);
    const bad = await runCli(['diff', '--config', mesh, '--format', 'svg'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("option '--format <format>' argument 'svg' is invalid. Allowed choices are text, mermaid, dot.");
  });
});

describe('paused and breaker state, dry runs and real runs', () => {
  test('diff on a paused service says it is paused before the drift', async () => {
    await actor.annotate(server, { 'mesh-remediator/paused-until': '2099-01-01T00:00:00Z' });
    await actor.openIngress(server);
    const { code, stdout } = await runCli(['diff', '--config', mesh, '--service', 'server-service'], { env: { ...env, ...PLAIN } });
    expect(code).toBe(2);
    expect(stdout).toMatch(
      new RegExp(`${server.key}\\npaused until 2099-01-01T00:00:00(\\.000)?Z: a reconcile writes nothing until then\\ndrift`),
    );
    const reconcile = await runCli(['reconcile', '--config', mesh, '--service', 'server-service'], { env: { ...env, ...PLAIN } });
    expect(reconcile.stdout).toMatch(
      new RegExp(
        `^${server.key}: paused: paused until 2099-01-01T00:00:00(\\.000)?Z by annotation mesh-remediator/paused-until \\(0 writes`,
        'm',
      ),
    );
  });

  test('reconcile --dry-run shows the steps; a real run lists the steps it ran with durations', async () => {
    await actor.openIngress(server);
    await actor.deleteResource(server, 'forwardingRule');
    const dry = await runCli(['reconcile', '--dry-run', '--config', mesh, '--service', 'server-service'], { env: { ...env, ...PLAIN } });
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain(
      'steps a reconcile would take (one level at a time, the steps of a level in parallel):\n  1. ~ set ingress of server-service to internal\n  2. + create forwardingRule internal-lb-frontend\n',
    );
    const real = await runCli(['reconcile', '--config', mesh, '--service', 'server-service'], { env: { ...env, ...PLAIN } });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(new RegExp(`^${server.key}: repaired \\(2 writes, \\d+\\.\\d\\d s\\)$`, 'm'));
    expect(real.stdout).toMatch(
      /^steps run:\n {2}✓ ~ set ingress of server-service to internal {2}done \d+\.\d\d s\n {2}✓ \+ create forwardingRule internal-lb-frontend {2}done \d+\.\d\d s\n/m,
    );
  });

  test('writes count changes made; a refused call is an attempt, not a write', async () => {
    await actor.openIngress(server);
    emulator.faults.set({ reject: [{ method: 'UpdateService', error: 'permissionDenied' }] });
    const { code, stdout } = await runCli(['reconcile', '--config', mesh, '--service', 'server-service', '--json'], { env });
    expect(code).toBe(1);
    const [report] = document(stdout).reports;
    expect(report).toMatchObject({ outcome: 'failed', writes: 0, writeAttempts: 1 });
  });
});

describe('--json of every command is one document valid against the schema', () => {
  test('diff, reconcile (dry and real), replay, status, explain; and an error', async () => {
    await actor.openIngress(server);
    const exportFile = writeText('audit.json', JSON.stringify({ entries: emulator.audit.entries }));
    const runs: Array<[string[], number]> = [
      [['diff'], 2],
      [['reconcile', '--dry-run'], 2],
      [['replay', '--dry-run', exportFile], 2],
      [['status'], 2],
      [['explain', exportFile], 2],
      [['reconcile'], 0],
      [['replay', exportFile], 0],
    ];
    for (const [args, expected] of runs) {
      const { code, stdout, stderr } = await runCli([...args, '--config', mesh, '--json'], { env });
      expect({ args, code, stderr }).toEqual({ args, code: expected, stderr: '' });
      const doc = document(stdout);
      expect(doc).toMatchObject({ schemaVersion: 2, command: args[0] });
    }
    const broken = await runCli(['diff', '--config', writeText('bad.yaml', 'services: 3\n'), '--json'], { env });
    expect(broken.code).toBe(1);
    expect(document(broken.stdout)).toMatchObject({
      command: 'diff',
      error: { problems: [expect.objectContaining({ path: 'services' })] },
    });
  });
});

describe('explain', () => {
  /** The audit entries of opening server-service (Cloud Run) and deleting its rule (Compute, first and last). */
  async function entries(): Promise<{ run: LogEntry; first: LogEntry; last: LogEntry }> {
    await actor.openIngress(server);
    await actor.deleteResource(server, 'forwardingRule');
    const all = structuredClone(emulator.audit.entries);
    const run = all.find((e) => e.protoPayload.methodName.includes('Services.'))!;
    const compute = all.filter((e) => e.protoPayload.methodName.endsWith('forwardingRules.delete'));
    return { run, first: compute.find((e) => e.operation?.first)!, last: compute.find((e) => e.operation?.last)! };
  }
  const explain = async (records: unknown[], extraMesh?: string) => {
    const result = await runCli(
      ['explain', '--config', extraMesh ?? mesh, writeText('event.jsonl', records.map((r) => JSON.stringify(r)).join('\n'))],
      { env: { ...env, ...PLAIN } },
    );
    const json = await runCli(
      ['explain', '--config', extraMesh ?? mesh, '--json', writeText('event.jsonl', records.map((r) => JSON.stringify(r)).join('\n'))],
      { env },
    );
    return { ...result, doc: document(json.stdout) as unknown as { events: Array<Record<string, unknown>> } };
  };

  test('a routed event: the services it names and the plan a reconcile would make now, nothing written', async () => {
    const { run } = await entries();
    const writes = emulator.writes();
    const { code, stdout, doc } = await explain([
      {
        message: { data: Buffer.from(JSON.stringify(run)).toString('base64'), messageId: '1' },
        subscription: 'projects/p/subscriptions/s',
      },
    ]);
    expect(code).toBe(2);
    expect(stdout).toContain(`reconcile: ${run.protoPayload.methodName} by alice@example.com`);
    expect(stdout).toContain(`  routes to ${server.key}\n  a reconcile now would find:\n    ${server.key}: drift-detected`);
    expect(stdout).toContain('      1. ~ set ingress of server-service to internal\n');
    expect(doc.events).toEqual([expect.objectContaining({ verdict: 'reconcile', services: [server.key] })]);
    expect(emulator.writes()).toBe(writes);
  });

  test('each skip reason, named with why', async () => {
    const { run, first, last } = await entries();
    const failed = structuredClone(run);
    failed.protoPayload.status = { code: 7, message: 'PERMISSION_DENIED' };
    const own = structuredClone(last);
    own.protoPayload.authenticationInfo.principalEmail = SELF;
    const bob = structuredClone(last);
    bob.protoPayload.authenticationInfo.principalEmail = 'bob@example.com';
    const elsewhere = structuredClone(run);
    elsewhere.protoPayload.resourceName = elsewhere.protoPayload.resourceName.replace('server-service', 'someone-elses');
    const read = structuredClone(run);
    read.protoPayload.methodName = 'google.cloud.run.v2.Services.GetService';
    const notAudit = {
      insertId: 'x',
      logName: 'projects/demo-project/logs/app',
      timestamp: '2026-11-25T00:00:00Z',
      jsonPayload: { hello: 1 },
    };
    const withIgnored = writeMesh([server, other], 'yaml', { ignorePrincipals: ['bob@example.com'] });
    const cases: Array<[string, unknown[], string, string?]> = [
      ['malformed', [{ hello: 'world' }], 'malformed'],
      ['not-audit-log', [notAudit], 'skipped (not-audit-log)'],
      ['unhandled-method', [read], 'skipped (unhandled-method)'],
      ['failed-call', [failed], 'skipped (failed-call)'],
      ['operation-first', [first], 'skipped (operation-first)'],
      ['duplicate-operation', [last, last], 'skipped (duplicate-operation)'],
      ['own-principal', [own], 'skipped (own-principal)'],
      ['ignored-principal', [bob], 'skipped (ignored-principal)', withIgnored],
      ['not-declared', [elsewhere], 'skipped (not-declared)'],
    ];
    for (const [reason, records, shown, config] of cases) {
      const { code, stdout, doc } = await explain(records, config);
      expect({ reason, code }).toEqual({ reason, code: reason === 'malformed' ? 1 : reason === 'duplicate-operation' ? 2 : 0 });
      expect(stdout).toContain(shown);
      const event = doc.events.at(-1)!;
      if (reason === 'malformed') expect(event).toMatchObject({ verdict: 'malformed' });
      else {
        expect(event).toMatchObject({ verdict: 'skip', reason });
        expect(stdout).toContain(`  why: ${String(event.why)}`);
      }
    }
  });
});

describe('colour', () => {
  const statusOf = (extra: NodeJS.ProcessEnv, isTTY: boolean) => runCli(['status', '--config', mesh], { env: { ...env, ...extra }, isTTY });
  const ESC = '\x1b[';

  test('on a terminal; off through a pipe; NO_COLOR turns it off, FORCE_COLOR on', async () => {
    expect((await statusOf({}, true)).stdout).toContain(`${ESC}32m✓`);
    expect((await statusOf({}, false)).stdout).not.toContain(ESC);
    expect((await statusOf({ NO_COLOR: '1' }, true)).stdout).not.toContain(ESC);
    expect((await statusOf({ FORCE_COLOR: '1' }, false)).stdout).toContain(`${ESC}32m`);
    expect((await statusOf({ FORCE_COLOR: '0' }, true)).stdout).not.toContain(ESC);
    expect((await statusOf({ TERM: 'dumb' }, true)).stdout).not.toContain(ESC);
  });

  test('the columns still line up with colour on', async () => {
    await actor.openIngress(server);
    const coloured = await statusOf({ FORCE_COLOR: '1' }, false);
    const plain = await statusOf({}, false);
    expect(coloured.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain.stdout);
  });
});
