// A function instance as its own OS process: the real Functions Framework CLI (its main.js)
// loading the function (function-code.ts: build/ or the source), exactly as
// `functions-framework --target=...` serves it in Cloud Run. Its stdout/stderr go to a Transcript; crash-probe.ts counts unhandled
// rejections; it can be SIGKILLed mid-write and started again, as a crashed instance would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../support/pubsub-emulator';
import { functionCode, ROOT } from './function-code';
import type { Transcript } from './transcript';

const FRAMEWORK_MAIN = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const CRASH_PROBE = join(__dirname, 'crash-probe.js');
const READY_TIMEOUT_MS = 60_000;

export type Target = 'remediateDrift' | 'sweep';

export interface FunctionProcessOptions {
  /** names this instance in the transcript: `<name>:stdout`, `<name>:stderr` */
  name: string;
  target: Target;
  env: Record<string, string>;
  transcript: Transcript;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class FunctionProcess {
  readonly exited: Promise<Exit>;
  private exitValue?: Exit;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitValue = { code, signal };
        resolve(this.exitValue);
      }),
    );
  }

  static async start(options: FunctionProcessOptions): Promise<FunctionProcess> {
    const port = await freePort();
    const signature = options.target === 'sweep' ? 'http' : 'cloudevent';
    const code = functionCode();
    const child = spawn(
      process.execPath,
      [...code.nodeArgs, '-r', CRASH_PROBE, FRAMEWORK_MAIN, `--source=${code.file('functions/index')}`, `--target=${options.target}`, `--signature-type=${signature}`, `--port=${port}`],
      {
        cwd: ROOT,
        // NODE_ENV=test keeps the framework's "Serving function..." banner, our readiness signal.
        env: { ...process.env, NODE_ENV: 'test', METADATA_SERVER_DETECTION: 'none', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const instance = new FunctionProcess(options.name, `http://127.0.0.1:${port}/`, child);
    child.stdout?.on('data', (chunk: Buffer) => options.transcript.record(`${options.name}:stdout`, chunk));
    child.stderr?.on('data', (chunk: Buffer) => options.transcript.record(`${options.name}:stderr`, chunk));
    await instance.ready(port);
    return instance;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exit(): Exit | undefined {
    return this.exitValue;
  }

  /**
   * Polls until the port accepts a TCP connection or the process dies. (Not an HTTP request: for
   * the sweep target any request is a sweep.)
   */
  private async ready(port: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exitValue) throw new Error(`function process ${this.name} exited before serving: ${JSON.stringify(this.exitValue)}`);
      if (await accepts(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error(`function process ${this.name} not serving on port ${port} after ${READY_TIMEOUT_MS} ms`);
  }

  /** Sends `signal` (SIGKILL: no cleanup, no flush, as a crashed instance) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    if (!this.exitValue) this.child.kill(signal);
    return this.exited;
  }

  /** Orderly stop for afterAll: SIGTERM, then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.exitValue) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
