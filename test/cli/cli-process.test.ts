// The CLI as a real process: argv, real stdout/stderr/stdin pipes, the exit status, and that the
// process ends by itself once the command is done (no client left holding it open).
// A full `npm run build` takes about a minute here, too slow for a test, so the bin launcher
// (bin/mesh-remediator.js) runs against the TypeScript sources through ts-node's transpile-only
// register; the compiled bin itself is run too when build/ is newer than the sources (always in
// CI, where `npm ci` builds through `prepare`), and is skipped with a message otherwise.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, removeTempDirs, tempDir, writeMesh } from './cli-harness';
import { replayFile } from './replay-inputs';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/mesh-remediator.js');
const BUILT_MAIN = join(ROOT, 'build/functions/cli/main.js');
const EXAMPLE = 'deploy/mesh.example.yaml';

/** The bin launcher's own code, pointed at the sources instead of build/ (written in beforeAll). */
let launcherOnSources: string;
function writeLauncher(): void {
  const code = readFileSync(BIN, 'utf8').replace("'../build/functions/cli/main.js'", JSON.stringify(join(ROOT, 'functions/cli/main.ts')));
  if (!code.includes('functions/cli/main.ts'))
    throw new Error(`${BIN} no longer requires ../build/functions/cli/main.js; update this test`);
  launcherOnSources = join(tempDir('bin-'), 'mesh-remediator.js');
  writeFileSync(launcherOnSources, code);
}

interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; compiled?: boolean } = {}): Promise<ProcessRun> {
  const nodeArgs = options.compiled ? [BIN, ...args] : ['-r', 'ts-node/register/transpile-only', launcherOnSources, ...args];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, METADATA_SERVER_DETECTION: 'none', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolvePromise, reject) => {
    // A command that is done but whose process lingers is a bug an operator's script would hang on.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mesh-remediator ${args.join(' ')} did not exit within 60 s; stdout: ${stdout} stderr: ${stderr}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const buildIsFresh = existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= newestSource(join(ROOT, 'functions'));
if (!buildIsFresh)
  process.stderr.write('cli-process: build/ is missing or older than functions/ (run `npm run build`): the compiled-bin case is skipped\n');

const server = declaredService();
let emulator: Emulator;
beforeAll(async () => {
  writeLauncher();
  emulator = await startEmulator({ seed: demoMesh(server), operationDelayMs: 0 });
}, 60_000);
afterAll(async () => {
  removeTempDirs();
  await emulator.stop();
});

(buildIsFresh ? test : test.skip)(
  'the compiled bin: validate --config deploy/mesh.example.yaml exits 0',
  async () => {
    const { code, stdout, stderr } = await run(['validate', '--config', EXAMPLE], { compiled: true });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`${EXAMPLE}: valid, 1 service`);
  },
  90_000,
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
