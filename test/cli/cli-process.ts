// The CLI as a real process: argv, real stdout/stderr/stdin pipes, the exit status, and that the
// process ends by itself once the command is done (no client left holding it open).
// It is the bin launcher (bin/mesh-remediator.js) itself on the compiled build/ when that is
// current (always in CI, where `npm ci` builds through `prepare`; a process starts in ~1 s from
// it), else the launcher's own code pointed at the TypeScript sources through ts-node (~4 s more
// per process); test/support/function-code.ts decides, as for every process the tests start.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionCode, ROOT } from '../support/function-code';
import { tempDir } from './cli-harness';

const BIN = join(ROOT, 'bin/mesh-remediator.js');
export const code = functionCode();

/** The bin launcher's own code, pointed at the sources instead of build/ (written on first use when the sources run). */
let launcherOnSources: string | undefined;
function launcher(): string {
  if (launcherOnSources) return launcherOnSources;
  const text = readFileSync(BIN, 'utf8').replace("'../build/functions/cli/main.js'", JSON.stringify(code.file('functions/cli/main')));
  if (!text.includes('functions/cli/main.ts'))
    throw new Error(`${BIN} no longer requires ../build/functions/cli/main.js; update test/cli/cli-process.ts`);
  launcherOnSources = join(tempDir('bin-'), 'mesh-remediator.js');
  writeFileSync(launcherOnSources, text);
  return launcherOnSources;
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  child: ChildProcess;
  /** What it printed so far. */
  output: { stdout: string; stderr: string };
  exited: Promise<ProcessRun>;
}

export function start(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): RunningProcess {
  const nodeArgs = code.mode === 'build' ? [BIN, ...args] : [...code.nodeArgs, launcher(), ...args];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, METADATA_SERVER_DETECTION: 'none', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const exited = new Promise<ProcessRun>((resolvePromise) =>
    child.on('close', (exitCode) => resolvePromise({ code: exitCode, ...output })),
  );
  return { child, output, exited };
}

/** Runs to the end; a command that is done but whose process lingers 60 s is a failure (an operator's script would hang on it). */
export function run(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<ProcessRun> {
  const { child, output, exited } = start(args, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return exited.then((result) => {
    clearTimeout(timer);
    if (result.code === null)
      throw new Error(`mesh-remediator ${args.join(' ')} did not exit within 60 s; stdout: ${output.stdout} stderr: ${output.stderr}`);
    return result;
  });
}
