// One suite's world: a declared mesh file, the emulator seeded healthy with it, a local Slack
// sink behind the sentinel webhook URL, function processes started against them, and one
// Transcript of everything said. stop() releases all of it (afterAll).
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { seededRandom } from '../../emulator/random';
import { startWebhookSink, type WebhookSink } from '../../support/webhook-sink';
import { FunctionProcess } from '../../support/function-process';
import { SELF_PRINCIPAL } from '../../support/identity';
import { numberedServices, writeMesh, type MeshFile } from '../../support/mesh-file';
import { closeConnections, onAnswer } from './deliver';
import { leaks, SENTINEL_PATH } from './sentinel';
import { Transcript, type LogRecord } from './transcript';

export interface Rig {
  meshFile: MeshFile;
  emulator: Emulator;
  sink: WebhookSink;
  /** the secret: a Slack-shaped URL on the local sink */
  sentinelUrl: string;
  transcript: Transcript;
  /** the environment a deployed function would get, pointed at the emulator */
  functionEnv: Record<string, string>;
  start(name: string, target?: Target, extraEnv?: Record<string, string>): Promise<FunctionProcess>;
  /** unhandled rejections / uncaught exceptions reported by crash-probe.ts (of processes whose transcript source starts with the prefix) */
  probeReports(sourcePrefix?: string): LogRecord[];
  /** every place the sentinel appears in anything said so far */
  leaks(): string[];
  stop(): Promise<void>;
}

export type Target = 'remediateDrift' | 'sweep';

export interface RigOptions {
  /** how many declared services */
  services: number;
  recreateOnImmutableDrift?: boolean;
  /** breaker threshold; chaos raises it because faults force many repairs of one service */
  maxRepairs?: number;
  seed: number;
  emulator?: Omit<EmulatorOptions, 'seed' | 'random'>;
  /** added to every function process's environment (a read path: harness/read-paths.ts) */
  env?: Record<string, string>;
}

/** Reports unhandled rejections and uncaught exceptions of a function process as log lines. */
const CRASH_PROBE = join(__dirname, 'crash-probe.js');

export async function startRig(options: RigOptions): Promise<Rig> {
  const policy = {
    recreateOnImmutableDrift: options.recreateOnImmutableDrift ?? false,
    ...(options.maxRepairs !== undefined ? { breaker: { maxRepairs: options.maxRepairs, windowSec: 600 } } : {}),
  };
  const meshFile = writeMesh(numberedServices(options.services), { policy });
  const emulator = await startEmulator({
    operationDelayMs: 5,
    ...options.emulator,
    seed: meshFile.mesh,
    random: seededRandom(options.seed),
  });
  const sink = await startWebhookSink();
  const sentinelUrl = sink.url(SENTINEL_PATH);
  const transcript = new Transcript();
  const processes: FunctionProcess[] = [];
  let sinkRequestsRead = 0;
  const stopRecordingAnswers = onAnswer((answer) => transcript.record('http-answer', answer.body));
  const functionEnv = {
    // The framework answers a thrown handler with its message when not in production: one more
    // place the secret check reads.
    NODE_ENV: 'test',
    ...emulator.env,
    MESH_CONFIG: meshFile.path,
    SELF_PRINCIPAL,
    SLACK_WEBHOOK_URL: sentinelUrl,
    DRY_RUN: 'false',
    // Injected 429s stand for quota refusals, which hold the quota group until the next window:
    // 200 ms here instead of Google's minute, so the suites spend their time repairing, not waiting.
    QUOTA_WINDOW_MS: '200',
    ...options.env,
  };
  return {
    meshFile,
    emulator,
    sink,
    sentinelUrl,
    transcript,
    functionEnv,
    async start(name, target = 'remediateDrift', extraEnv = {}) {
      const fn = await FunctionProcess.start({
        name,
        target,
        env: { ...functionEnv, ...extraEnv },
        preload: [CRASH_PROBE],
        onOutput: (stream, chunk) => transcript.record(`${name}:${stream}`, chunk),
      });
      processes.push(fn);
      return fn;
    },
    probeReports: (sourcePrefix = '') => transcript.records(sourcePrefix).filter((r) => typeof r.reliabilityProbe === 'string'),
    leaks() {
      // What the Slack sink received is output too: a message must not quote the URL it was sent to.
      for (const request of sink.requests.slice(sinkRequestsRead)) transcript.record('slack-sink', request.raw);
      sinkRequestsRead = sink.requests.length;
      return leaks(transcript, sentinelUrl);
    },
    async stop() {
      stopRecordingAnswers();
      await Promise.all(processes.map((p) => p.stop()));
      closeConnections();
      await Promise.all([emulator.stop(), sink.close()]);
      meshFile.remove();
    },
  };
}
