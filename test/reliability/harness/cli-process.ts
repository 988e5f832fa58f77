// The operator's CLI (`mesh-remediator <command>`) run as its own process (build/ or source, as
// test/support/function-code.ts decides), its stdout and stderr kept in the Transcript.
import { spawn } from 'node:child_process';
import { functionCode, ROOT } from '../../support/function-code';
import type { Transcript } from './transcript';

export function runCli(name: string, args: string[], env: Record<string, string>, transcript: Transcript): Promise<number | null> {
  const code = functionCode();
  const script = `require(${JSON.stringify(code.file('functions/cli/main'))}).main(process.argv.slice(1)).then((code) => { process.exitCode = code; })`;
  const child = spawn(process.execPath, [...code.nodeArgs, '-e', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, METADATA_SERVER_DETECTION: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => transcript.record(`${name}:stdout`, chunk));
  child.stderr.on('data', (chunk: Buffer) => transcript.record(`${name}:stderr`, chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
