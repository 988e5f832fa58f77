// The function as Cloud Run runs it: the real Functions Framework CLI serving the built
// functions/index.js in its own Node process. Its structured log lines are kept for the demo.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FRAMEWORK_MAIN = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const SOURCE = join(ROOT, 'build', 'functions', 'index.js');

export interface RunningFunction {
  url: string;
  /** parsed JSON log records, in order */
  records: Array<Record<string, unknown>>;
  stop(): void;
}

export async function startFunction(port: number, env: Record<string, string>): Promise<RunningFunction> {
  const child = spawn(
    process.execPath,
    [FRAMEWORK_MAIN, '--target=remediateDrift', '--signature-type=cloudevent', `--source=${SOURCE}`, `--port=${port}`],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', METADATA_SERVER_DETECTION: 'none', ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const records: Array<Record<string, unknown>> = [];
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) records.push(JSON.parse(line) as Record<string, unknown>);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the function exited with code ${child.exitCode} before listening`);
    if (await accepts(port)) break;
    if (i > 600) throw new Error(`the function did not listen on ${url} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, records, stop: () => child.kill('SIGTERM') };
}

/** A TCP connect, not a request: an empty request would reach the function as a bogus event. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
