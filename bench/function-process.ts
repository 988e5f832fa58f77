// The bench's function processes: the test kit's launcher (test/support/function-process.ts) with
// the bench probe preloaded and an IPC channel to ask it for its report. start() does not wait
// for the port: cold-start time is spawn → the HTTP response to the first request (firstResponse
// polls until the port accepts). Stopping is a SIGKILL: nothing after the measurement matters.
// BENCH_CPU_PROF=DIR: every process runs with node --cpu-prof and stops with SIGTERM (the profile
// is written at exit), for a look at where a figure's CPU goes (not for the figures themselves).
import { FunctionProcess as KitProcess, jsonRecord } from '../test/support/function-process';
import type { HttpRequest, HttpResponse } from '../test/support/http-send';
import { PROBE } from './paths';
import type { ProbeReport } from './probe';

export { httpSend, type HttpRequest, type HttpResponse } from '../test/support/http-send';

export interface FunctionSpec {
  /** Built JavaScript file the framework loads (--source). */
  source: string;
  target: string;
  signatureType: 'cloudevent' | 'http';
  env?: Record<string, string>;
}

export interface FunctionProcess {
  readonly pid: number | undefined;
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

export async function startFunction(spec: FunctionSpec): Promise<FunctionProcess> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const env = profileDir
    ? { ...spec.env, NODE_OPTIONS: `${spec.env?.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim() }
    : spec.env;
  const fn = await KitProcess.start({ ...spec, ...(env ? { env } : {}), preload: [PROBE], ipc: true, waitUntilServing: false });
  return {
    pid: fn.pid,
    port: fn.port,
    spawnedAt: fn.spawnedAt,
    stdout: fn.stdout,
    stderr: fn.stderr,
    firstResponse: (req) => fn.firstResponse(req),
    send: (req) => fn.send(req),
    report: () => fn.ask<ProbeReport>('report'),
    stop: async () => void (profileDir ? await fn.stop() : await fn.kill()),
  };
}

/** Parses the JSON log records among a process's stdout lines (others are skipped). */
export function jsonRecords(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    const record = jsonRecord(line);
    return record ? [record] : [];
  });
}
