// The operator's CLI (`mesh-remediator <command>`) run as its own process from the TypeScript
// source, its stdout and stderr kept in the Transcript.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Transcript } from './transcript';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'functions', 'cli', 'main.ts');

export function runCli(name: string, args: string[], env: Record<string, string>, transcript: Transcript): Promise<number | null> {
  const script = `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((code) => { process.exitCode = code; })`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, METADATA_SERVER_DETECTION: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => transcript.record(`${name}:stdout`, chunk));
  child.stderr.on('data', (chunk: Buffer) => transcript.record(`${name}:stderr`, chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
