// One suite's world: a declared mesh file, the emulator seeded healthy with it, a local Slack
// sink behind the sentinel webhook URL, function processes started against them, and one
// Transcript of everything said. stop() releases all of it (afterAll).
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { seededRandom } from '../../emulator/random';
import { startWebhookSink, type WebhookSink } from '../../support/webhook-sink';
import { closeConnections, onAnswer } from './deliver';
import { FunctionProcess, type Target } from './function-process';
import { writeMesh, SELF_PRINCIPAL, type MeshFile, type MeshSpec } from './mesh-file';
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

export interface RigOptions extends MeshSpec {
  seed: number;
  emulator?: Omit<EmulatorOptions, 'seed' | 'random'>;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const meshFile = writeMesh(options);
  const emulator = await startEmulator({ operationDelayMs: 5, ...options.emulator, seed: meshFile.mesh, random: seededRandom(options.seed) });
  const sink = await startWebhookSink();
  const sentinelUrl = sink.url(SENTINEL_PATH);
  const transcript = new Transcript();
  const processes: FunctionProcess[] = [];
  let sinkRequestsRead = 0;
  const stopRecordingAnswers = onAnswer((answer) => transcript.record('http-answer', answer.body));
  const functionEnv = {
    ...emulator.env,
    MESH_CONFIG: meshFile.path,
    SELF_PRINCIPAL,
    SLACK_WEBHOOK_URL: sentinelUrl,
    DRY_RUN: 'false',
  };
  return {
    meshFile,
    emulator,
    sink,
    sentinelUrl,
    transcript,
    functionEnv,
    async start(name, target = 'remediateDrift', extraEnv = {}) {
      const fn = await FunctionProcess.start({ name, target, env: { ...functionEnv, ...extraEnv }, transcript });
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
