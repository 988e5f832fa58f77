// One function process, started the way Cloud Run starts it: the real Functions Framework CLI
// loading a built source file, in a fresh Node process, with the bench probe preloaded. Cold-start
// time is process spawn → the HTTP response to the first request (polled until the port accepts).
import { spawn, type ChildProcess } from 'node:child_process';
import { request, Agent } from 'node:http';
import { createServer } from 'node:net';
import { FRAMEWORK_MAIN, PROBE, ROOT } from './paths';
import type { ProbeReport } from './probe';

export interface FunctionSpec {
  /** Built JavaScript file the framework loads (--source). */
  source: string;
  target: string;
  signatureType: 'cloudevent' | 'http';
  env?: Record<string, string>;
}

export interface HttpRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export interface FunctionProcess {
  readonly pid: number;
  readonly port: number;
  /** performance.now() just before spawn. */
  readonly spawnedAt: number;
  /** Structured log lines (stdout) and anything else it printed. */
  readonly stdout: string[];
  readonly stderr: string[];
  /** Sends `req`, retrying while the port refuses connections; resolves with the response time. */
  firstResponse(req: HttpRequest): Promise<{ response: HttpResponse; at: number }>;
  send(req: HttpRequest): Promise<HttpResponse>;
  report(): Promise<ProbeReport>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment every function process gets: nothing inherited but PATH and HOME, no metadata server. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    METADATA_SERVER_DETECTION: 'none',
    ...extra,
  };
}

export function httpSend(port: number, req: HttpRequest, agent?: Agent): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body ?? '';
    const r = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method ?? 'POST',
        path: req.path ?? '/',
        headers: { ...req.headers, 'content-length': Buffer.byteLength(body) },
        ...(agent ? { agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFunction(spec: FunctionSpec): Promise<FunctionProcess> {
  const port = await freePort();
  const args = [
    '--require',
    PROBE,
    FRAMEWORK_MAIN,
    `--target=${spec.target}`,
    `--source=${spec.source}`,
    `--signature-type=${spec.signatureType}`,
    `--port=${port}`,
  ];
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(spec.env),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, stdout);
  collectLines(child.stderr, stderr);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.source}`);

  const send = (req: HttpRequest) => httpSend(port, req);
  return {
    pid,
    port,
    spawnedAt,
    stdout,
    stderr,
    send,
    async firstResponse(req) {
      for (;;) {
        if (exited) throw new Error(`function ${spec.target} exited (${exited.code ?? exited.signal}) before answering: ${stderr.join('\n').slice(-2000)}`);
        try {
          const response = await send(req);
          return { response, at: performance.now() };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw err;
          await sleep(2);
        }
      }
    },
    report() {
      return new Promise<ProbeReport>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no probe report from ${spec.target}`)), 5000);
        child.once('message', (message) => {
          clearTimeout(timer);
          resolve(message as ProbeReport);
        });
        child.send('report');
      });
    },
    async stop() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    into.push(...lines.filter((l) => l.length > 0));
  });
}

/** Parses the JSON log records among a process's stdout lines (others are skipped). */
export function jsonRecords(lines: readonly string[]): Array<Record<string, unknown>> {
  const records: Array<Record<string, unknown>> = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partial or foreign line: not a structured record
    }
  }
  return records;
}
