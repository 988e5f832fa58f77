// A function instance as its own OS process, started the way Cloud Run starts it: the real
// Functions Framework CLI (its main.js) in a fresh Node process, loading the function's built
// JavaScript or its TypeScript source (function-code.ts decides), on a port of its own. Used by the
// tests, the reliability suites, the demo and the bench. It can be SIGKILLed mid-write and started
// again, as a crashed instance would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { freePort } from './free-port';
import { functionCode, ROOT } from './function-code';
import { httpSend, type HttpRequest, type HttpResponse } from './http-send';
import { pollFor } from './poll';

export const FRAMEWORK_MAIN = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export interface FunctionProcessOptions {
  /** names the instance in errors (and for callers' transcripts) */
  name?: string;
  /** exported function name; default `remediateDrift` */
  target?: string;
  /** default: `http` for `sweep`, else `cloudevent` */
  signatureType?: 'cloudevent' | 'http';
  /** the file the framework loads (--source); default the deployable's entry, functions/entry.cts (function-code.ts) */
  source?: string;
  /** added to the process's environment, which otherwise holds only PATH, HOME, NODE_ENV=production and no metadata server */
  env?: Record<string, string>;
  /** modules the process requires before anything else (a probe) */
  preload?: string[];
  /** opens an IPC channel for ask() */
  ipc?: boolean;
  /** default: one the OS picks */
  port?: number;
  /** default true: start() resolves once the port accepts connections */
  waitUntilServing?: boolean;
  /** every chunk the process writes, as it comes */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class FunctionProcess {
  /** complete lines the process printed, in order */
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** the structured (JSON) log records among the stdout lines */
  readonly records: Array<Record<string, unknown>> = [];
  readonly exited: Promise<Exit>;
  private exitValue?: Exit;

  private constructor(
    readonly name: string,
    readonly port: number,
    /** performance.now() just before the spawn */
    readonly spawnedAt: number,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitValue = { code, signal };
        resolve(this.exitValue);
      });
      // A process that could not be spawned never exits: count it as exited at once.
      child.once('error', (err) => {
        this.stderr.push(String(err));
        this.exitValue ??= { code: null, signal: null };
        resolve(this.exitValue);
      });
    });
  }

  static async start(options: FunctionProcessOptions = {}): Promise<FunctionProcess> {
    const target = options.target ?? 'remediateDrift';
    const port = options.port ?? (await freePort());
    const code = options.source === undefined ? functionCode() : undefined;
    const source = options.source ?? (code as NonNullable<typeof code>).entry;
    const nodeArgs = [...(code?.nodeArgs ?? []), ...(options.preload ?? []).flatMap((module) => ['--require', module])];
    const args = [
      ...nodeArgs,
      FRAMEWORK_MAIN,
      `--target=${target}`,
      `--source=${source}`,
      `--signature-type=${options.signatureType ?? (target === 'sweep' ? 'http' : 'cloudevent')}`,
      `--port=${port}`,
    ];
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        METADATA_SERVER_DETECTION: 'none',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    const instance = new FunctionProcess(options.name ?? target, port, spawnedAt, child);
    instance.collect(child);
    if (options.onOutput) {
      const onOutput = options.onOutput;
      child.stdout?.on('data', (chunk: Buffer) => onOutput('stdout', chunk));
      child.stderr?.on('data', (chunk: Buffer) => onOutput('stderr', chunk));
    }
    if (options.waitUntilServing ?? true) await instance.serving();
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exit(): Exit | undefined {
    return this.exitValue;
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    return httpSend(this.port, req);
  }

  /** Sends `req`, retrying every 2 ms while the port refuses connections (a cold start); resolves with the response and when it came. */
  async firstResponse(req: HttpRequest): Promise<{ response: HttpResponse; at: number }> {
    for (;;) {
      if (this.exitValue)
        throw new Error(
          `function process ${this.name} exited (${this.exitValue.code ?? this.exitValue.signal}) before answering: ${this.stderr.join('\n').slice(-2000)}`,
        );
      try {
        const response = await this.send(req);
        return { response, at: performance.now() };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw err;
        await sleep(2);
      }
    }
  }

  /** Sends `message` over the IPC channel (options.ipc) and resolves with the next message back. */
  ask<T>(message: string, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(message)} from ${this.name}`)), timeoutMs);
      this.child.once('message', (answer) => {
        clearTimeout(timer);
        resolve(answer as T);
      });
      this.child.send(message);
    });
  }

  /**
   * Resolves with the first structured record matching `predicate`, waiting for it: the HTTP answer
   * can arrive before the log line it follows has come through the stdout pipe.
   */
  record(predicate: (record: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return pollFor(
      () => this.records.find(predicate),
      timeoutMs,
      () =>
        `function process ${this.name}: no matching log record within ${timeoutMs} ms; it printed:\n${this.stdout.join('\n').slice(-2000)}`,
      () => this.exitValue !== undefined,
    );
  }

  /** Sends `signal` (SIGKILL: no cleanup, no flush, as a crashed instance) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    if (!this.exitValue) this.child.kill(signal);
    return this.exited;
  }

  /** Orderly stop (afterAll): SIGTERM, then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.exitValue) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Polls until the port accepts a TCP connection or the process dies. (Not an HTTP request: an
   * empty request would reach the function as a bogus event, and any request to `sweep` is a sweep.)
   */
  private async serving(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exitValue)
        throw new Error(
          `function process ${this.name} exited before serving (${JSON.stringify(this.exitValue)}): ${this.stderr.join('\n').slice(-2000)}`,
        );
      if (await accepts(this.port)) return;
      await sleep(20);
    }
    this.child.kill('SIGKILL');
    throw new Error(`function process ${this.name} not serving on port ${this.port} after ${READY_TIMEOUT_MS} ms`);
  }

  private collect(child: ChildProcess): void {
    collectLines(child.stdout, (line) => {
      this.stdout.push(line);
      const record = jsonRecord(line);
      if (record) this.records.push(record);
    });
    collectLines(child.stderr, (line) => this.stderr.push(line));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

function collectLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) onLine(line);
  });
}

/** A structured log record, or undefined for a line that is not one (a banner, a partial line). */
export function jsonRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
