// The CLI as a real process (test/cli/cli-process.ts): argv, real pipes, the exit status, and that
// the process ends by itself once the command is done (no client left holding it open).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { freePort } from '../support/free-port';
import { pollFor } from '../support/poll';
import { startSilentServer } from '../support/silent-server';
import { testOrSkip } from '../support/test-or-skip';
import { ROOT } from '../support/function-code';
import { emulatorEnv, removeTempDirs, writeMesh } from './cli-harness';
import { code, run, start } from './cli-process';
import { replayFile } from './replay-inputs';

const EXAMPLE = 'deploy/mesh.example.yaml';
const REPORT_TOPIC = 'projects/demo-project/topics/mesh-reports';

const server = declaredService();
// The reconcile that waits out the report deadline repairs this one, beside the cases on `server`.
const other = declaredService('other-service', 'other-lb', '10.0.0.101');
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(server, other), operationDelayMs: 0 });
}, 60_000);
afterAll(async () => {
  removeTempDirs();
  await emulator.stop();
});

// The other cases run the launcher as it is only on a current build/; on the sources they run its
// code pointed at them (cli-process.ts). This one always names the launcher file itself.
testOrSkip(
  code.mode === 'build',
  'build/ is missing or older than functions/ (npm run build); the other cases run its code on the sources',
)(
  'bin/mesh-remediator.js itself starts the built CLI: --version prints the package version, nothing else, and exits 0',
  async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'mesh-remediator.js'), '--version'], {
      cwd: ROOT,
    });
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect({ stdout, stderr }).toEqual({ stdout: `${version}\n`, stderr: '' });
  },
  30_000,
);

test('validate: exit 0 for the example; exit 1 with the problem on stderr for a bad file', async () => {
  const good = await run(['validate', '--config', EXAMPLE]);
  expect({ code: good.code, stderr: good.stderr }).toEqual({ code: 0, stderr: '' });
  expect(good.stdout).toContain('internal-lb-frontend');
  const bad = await run(['validate', '--config', '/nonexistent/mesh.yaml']);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toContain('/nonexistent/mesh.yaml');
}, 90_000);

test('diff against the emulator: exit 0, then 2 after a person opens the service, and the process ends', async () => {
  const env = emulatorEnv(emulator);
  const mesh = writeMesh([server]);
  const clean = await run(['diff', '--config', mesh], { env });
  expect(clean).toEqual({ code: 0, stdout: `${server.key}: no drift\n`, stderr: '' });
  await new DriftActor(emulator.url).openIngress(server);
  const drifted = await run(['diff', '--config', mesh], { env });
  expect(drifted.code).toBe(2);
  expect(drifted.stdout).toMatch(/^ingress +internal +all$/m);
}, 120_000);

test('replay - reads a real pipe and exits with the outcome code', async () => {
  const env = emulatorEnv(emulator);
  const entries = emulator.audit.entries.filter((e) => String(e.protoPayload.resourceName).includes(server.service));
  expect(entries.length).toBeGreaterThan(0);
  const { code, stdout, stderr } = await run(['replay', '--dry-run', '--config', writeMesh([server]), '-'], {
    env,
    stdin: replayFile(entries, 'json-lines'),
  });
  expect(stderr).toBe('');
  expect(stdout).toContain('1 service affected, 1 service reconciled');
  expect(code).toBe(2);
}, 90_000);

test('an unknown command: one line and a pointer to help on stderr, exit 1', async () => {
  const { code, stdout, stderr } = await run(['frobnicate']);
  expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
  expect(stderr).toBe("mesh-remediator: unknown command 'frobnicate'\nsee 'mesh-remediator --help'\n");
}, 60_000);

// From build/, the CLI's emulator command is the tools' build (tools-build/, `npm run build`), not part of build/.
const emulatorBuilt = code.mode === 'source' || existsSync(join(ROOT, 'tools-build/test/emulator/command.js'));
testOrSkip(emulatorBuilt, 'tools-build/ missing (npm run build)')(
  'emulator: the command loads and checks its flags',
  async () => {
    const { code: exitCode, stdout, stderr } = await run(['emulator', '--port', 'eighty']);
    expect({ exitCode, stdout }).toEqual({ exitCode: 1, stdout: '' });
    expect(stderr).toContain('--port must be a whole number from 0 to 65535, got "eighty"');
  },
  60_000,
);

describe('a report topic on an unreachable Pub/Sub (REPORT_TOPIC set)', () => {
  test('refused: reconcile repairs, then says why the report was not published in one line and ends without waiting out the deadline', async () => {
    const port = await freePort(); // nothing listens there
    const env = emulatorEnv(emulator, { REPORT_TOPIC, PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}` });
    await new DriftActor(emulator.url).openIngress(server);
    const { code: exitCode, stdout, stderr } = await run(['reconcile', '--config', writeMesh([server])], { env });
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`${server.key}: repaired`);
    // The endpoint, the variable that chose it, and the cause; not "no answer within 10 s".
    expect(stderr).toBe(
      `mesh-remediator: report not published: Unreachable: publishing to ${REPORT_TOPIC} at 127.0.0.1:${port} (PUBSUB_EMULATOR_HOST): ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  }, 60_000);
});

// The cases that wait out a deadline, a stall notice or a retry budget: most of their time is
// waiting, so they run side by side, each on endpoints (and a service) of its own.
describe('waits that run out', () => {
  test.concurrent(
    'diff with nothing listening on the emulator: names the service, the endpoint, the variable and the cause, the same every run',
    async () => {
      const port = await freePort(); // nothing listens there
      const host = `127.0.0.1:${port}`;
      const env = emulatorEnv(emulator, { CLOUD_RUN_EMULATOR_HOST: host, COMPUTE_EMULATOR_HOST: host });
      const mesh = writeMesh([server]);
      // Two runs side by side: each is a process of its own, waiting out its own retries.
      const [first, again] = await Promise.all([run(['diff', '--config', mesh], { env }), run(['diff', '--config', mesh], { env })]);
      expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 1, stderr: '' });
      // The service (not whichever chain resource failed first), the endpoint with its variable, the cause.
      expect(first.stdout).toMatch(
        new RegExp(
          `^${server.key}: error: reading Cloud Run service ${server.service} \\(and 6 more reads of its mesh\\) failed after \\d+ attempt\\(s\\): ` +
            `getService projects/demo-project/locations/asia-northeast1/services/${server.service}: ` +
            `cannot reach ${host} \\(CLOUD_RUN_EMULATOR_HOST\\): ECONNREFUSED ${host} \\[UNAVAILABLE \\(14\\)\\]\n$`,
        ),
      );
      expect(again.stdout.replace(/after \d+ attempt/, '')).toBe(first.stdout.replace(/after \d+ attempt/, ''));
    },
    120_000,
  );

  test.concurrent(
    'a report topic on a Pub/Sub that never answers (REPORT_TOPIC set): reconcile says what it waits for after 2 s, gives up at the 10 s deadline in one line, and never shows the Slack webhook URL',
    async () => {
      // Accepts connections and never answers (a firewall that drops, a hung endpoint).
      const silent = await startSilentServer();
      const host = silent.host;
      const slackPort = await freePort();
      const env = emulatorEnv(emulator, {
        REPORT_TOPIC,
        PUBSUB_EMULATOR_HOST: host,
        SLACK_WEBHOOK_URL: `http://127.0.0.1:${slackPort}/services/T0CLI/B0CLI/CLISLACKSECRET`,
      });
      try {
        await new DriftActor(emulator.url).openIngress(other);
        const { code: exitCode, stdout, stderr } = await run(['reconcile', '--config', writeMesh([other])], { env });
        expect(exitCode).toBe(0);
        expect(stdout).toContain(`${other.key}: repaired`);
        // On a loaded machine a call to the emulator itself can go 2 s unanswered and be said too
        // (the Google waits have their own case below): not what this case is about.
        const lines = stderr
          .trimEnd()
          .split('\n')
          .filter((line) => !/^mesh-remediator: waiting for (Compute|Cloud Run) \(/.test(line));
        // Slack may still be retrying at that moment (its tries are 1 s and 2 s apart): then it is named too.
        expect(lines[0]).toMatch(
          new RegExp(
            `^mesh-remediator: waiting for Pub/Sub at ${host} \\(PUBSUB_EMULATOR_HOST\\) to publish 1 report to ${REPORT_TOPIC}( and Slack to take the message \\(SLACK_WEBHOOK_URL\\))?…$`,
          ),
        );
        expect(lines).toContain(
          `mesh-remediator: report not published: DeadlineExceeded: publishing to ${REPORT_TOPIC} at ${host} (PUBSUB_EMULATOR_HOST): no answer within 10 s`,
        );
        expect(lines).toContain(
          `mesh-remediator: Slack notification not sent: no answer from Slack at 127.0.0.1:${slackPort} (SLACK_WEBHOOK_URL): ECONNREFUSED`,
        );
        expect(lines).toHaveLength(3);
        expect(stderr + stdout).not.toContain('CLISLACKSECRET');
      } finally {
        silent.close();
      }
    },
    60_000,
  );

  test.concurrent(
    'a Google API that accepts the connection and never answers: diff says once, after 2 s, which call it waits for, where and for which service, however many calls wait',
    async () => {
      // Compute accepts and is silent (a firewall that drops, a hung endpoint); Cloud Run answers.
      const silent = await startSilentServer();
      const host = silent.host;
      const env = emulatorEnv(emulator, { COMPUTE_EMULATOR_HOST: host });
      const started = Date.now();
      const diff = start(['diff', '--config', writeMesh([server])], { env });
      try {
        const line = await pollFor(
          () => diff.output.stderr.split('\n')[0] || undefined,
          30_000,
          () => `no waiting line; stderr: ${diff.output.stderr}`,
        );
        const saidAfterMs = Date.now() - started;
        // The six chain reads wait together: the oldest is named, the others counted.
        expect(line).toMatch(
          new RegExp(
            `^mesh-remediator: waiting for Compute \\(${host}, COMPUTE_EMULATOR_HOST\\): get \\w+ projects/demo-project/regions/asia-northeast1/\\w+/\\S+ ` +
              `for service ${server.service} \\([23] s\\), and 5 more calls…$`,
          ),
        );
        expect(saidAfterMs).toBeGreaterThanOrEqual(2_000);
        // Still waiting 3 s later, and still the one line: a stall is said once, not per call or per tick.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        expect(diff.output.stderr).toBe(line + '\n');
        expect(diff.output.stdout).toBe('');
      } finally {
        diff.child.kill('SIGKILL');
        await diff.exited;
        silent.close();
      }
    },
    60_000,
  );
});

test('a reader that goes away (`… | head`): help and a reconcile run to their end and exit with their code, no EPIPE crash', async () => {
  const help = start(['help']);
  help.child.stdout?.destroy();
  expect(await help.exited).toMatchObject({ code: 0, stderr: '' });

  await new DriftActor(emulator.url).openIngress(server);
  const writesBefore = emulator.writes();
  const reconcile = start(['reconcile', '--config', writeMesh([server])], { env: emulatorEnv(emulator) });
  reconcile.child.stdout?.destroy();
  expect(await reconcile.exited).toMatchObject({ code: 0, stderr: '' });
  expect(emulator.mutations.slice(writesBefore).map((m) => m.methodName)).toEqual(['google.cloud.run.v2.Services.UpdateService']);
}, 60_000);

describe('a Google API that accepts the connection and never answers', () => {
  test('a run whose calls are answered says no waiting line', async () => {
    await new DriftActor(emulator.url).openIngress(server);
    const { code: exitCode, stdout, stderr } = await run(['reconcile', '--config', writeMesh([server])], { env: emulatorEnv(emulator) });
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toContain(`${server.key}: repaired`);
  }, 60_000);
});
