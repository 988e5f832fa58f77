// The Slack webhook URL is a secret. Every reliability suite runs with a sentinel
// URL (SENTINEL_PATH on the local Slack sink) and fails if its tokens show up in anything said.
// This suite drives the paths most likely to leak it: Slack answering 429/403/500/410, Slack
// unreachable, a webhook value that is not a URL or not http(s), the URL from a mounted secret
// file, a delivery that fails and is retried (the error goes back in the HTTP answer), the sweep's
// JSON answer, the published reports (real Pub/Sub emulator, where installed) and the CLI. It
// checks each path really ran, then scans child stdout/stderr, HTTP answers, Slack payloads and
// reports for the sentinel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PubSub, Subscription } from '@google-cloud/pubsub';
import { freePort } from '../support/free-port';
import { startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator';
import type { LogEntry } from '../emulator';
import { runCli } from './harness/cli-process';
import { meshProblems } from './harness/declared-state';
import { deliverUntilAcked, post } from './harness/deliver';
import { applyDrift } from './harness/drift-scenarios';
import { envelope } from '../support/envelopes';
import type { FunctionProcess } from '../support/function-process';
import { Human, HUMAN } from './harness/human';
import { allLogged } from './harness/log-barrier';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';
import { leaks, SENTINEL_PATH } from './harness/sentinel';
import { Transcript } from './harness/transcript';

const scale = readScale();
// Named for this suite: a Pub/Sub emulator shared by the whole run holds other suites' topics too.
const REPORT_TOPIC = 'projects/demo-project/topics/reliability-secrets-reports';

/** One function configuration per way the secret can be given or go wrong; each repairs its own service. */
const CONFIGS = ['sink', 'file', 'unreachable', 'not-a-url', 'bad-scheme'] as const;
type Config = (typeof CONFIGS)[number];

let rig: Rig;
let pubsub: { emulator: PubSubEmulator; client: PubSub; subscription: Subscription } | null = null;
let secretDir: string;
const fns = {} as Record<Config, FunctionProcess>;
let sweeper: FunctionProcess;

async function openReports(): Promise<typeof pubsub> {
  const emulator = await startPubSubEmulator();
  if (!emulator) return null;
  const previous = process.env.PUBSUB_EMULATOR_HOST;
  process.env.PUBSUB_EMULATOR_HOST = emulator.host;
  const { PubSub } = await import('@google-cloud/pubsub');
  const client = new PubSub({ projectId: 'demo-project' });
  if (previous === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
  else process.env.PUBSUB_EMULATOR_HOST = previous;
  const [topic] = await client.createTopic(REPORT_TOPIC);
  const [subscription] = await topic.createSubscription('reliability-secrets-reports-reader');
  return { emulator, client, subscription };
}

beforeAll(async () => {
  announce('secrets', scale, `configs ${CONFIGS.join(', ')} + retry, sweep, reports, CLI`);
  rig = await startRig({ services: CONFIGS.length + 1, seed: scale.seed });
  pubsub = await openReports();
  secretDir = mkdtempSync(join(tmpdir(), 'reliability-secret-'));
  const secretFile = join(secretDir, 'slack-webhook-url');
  writeFileSync(secretFile, rig.sentinelUrl + '\n');
  const closedPort = await freePort();
  const reports: Record<string, string> = pubsub ? { REPORT_TOPIC, PUBSUB_EMULATOR_HOST: pubsub.emulator.host } : {};
  const envOf: Record<Config, Record<string, string>> = {
    sink: reports,
    file: { SLACK_WEBHOOK_URL: '', SLACK_WEBHOOK_URL_FILE: secretFile },
    unreachable: { SLACK_WEBHOOK_URL: `http://127.0.0.1:${closedPort}${SENTINEL_PATH}` },
    'not-a-url': { SLACK_WEBHOOK_URL: `::not a url::${SENTINEL_PATH}` },
    'bad-scheme': { SLACK_WEBHOOK_URL: `ftp://127.0.0.1${SENTINEL_PATH}` },
  };
  const started = await Promise.all([
    ...CONFIGS.map((c) => rig.start(`secret-${c}`, 'remediateDrift', envOf[c])),
    rig.start('secret-sweep', 'sweep', reports),
  ]);
  CONFIGS.forEach((c, i) => (fns[c] = started[i]!));
  sweeper = started[CONFIGS.length]!;
}, 180_000);

afterAll(async () => {
  await rig?.stop();
  await pubsub?.client.close();
  await pubsub?.emulator.stop();
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

const principalOf = (e: LogEntry) =>
  (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;

/** A person breaks service `index`; returns the last audit entry that change left. */
async function breakService(index: number): Promise<LogEntry> {
  const { emulator, meshFile } = rig;
  const mark = emulator.audit.entries.length;
  await applyDrift(new Human(emulator), {
    index,
    service: meshFile.mesh.services[index]!,
    drifts: [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 2 }],
    faults: {},
  });
  return emulator.audit.entries
    .slice(mark)
    .filter((e) => principalOf(e) === HUMAN)
    .at(-1)!;
}

test('the sentinel check finds a planted leak (it can fail)', () => {
  const control = new Transcript();
  control.record('control', `{"message":"posting to ${rig.sentinelUrl} failed"}\n`);
  control.record('control-encoded', encodeURIComponent(rig.sentinelUrl));
  const sources = new Set(leaks(control, rig.sentinelUrl).map((line) => line.split(':')[0]));
  expect(sources).toEqual(new Set(['control', 'control-encoded']));
});

test(
  'no output of any kind carries the webhook URL, on every path that handles it',
  async () => {
    const { emulator, sink, transcript } = rig;
    // Slack misbehaves for the first messages: rate limit, refusals, an outage.
    sink.rateLimit(1, 1);
    sink.fail(1, 403);
    sink.fail(1, 500);
    sink.fail(1, 410);

    // Each configuration repairs its own broken service.
    const triggers: LogEntry[] = [];
    for (const i of CONFIGS.keys()) triggers.push(await breakService(i)); // one at a time: each trigger is its own service's
    const acked = await Promise.all(
      CONFIGS.map(
        async (c, i) =>
          (
            await deliverUntilAcked(() => fns[c].url, envelope(triggers[i]!, 'audit-binary', String(7e15 + i)), {
              maxAttempts: 5,
              backoffMs: 200,
            })
          ).acked,
      ),
    );

    // A delivery that fails (Cloud Run unavailable) and is retried: the error goes back over HTTP.
    const trigger = await breakService(0);
    emulator.faults.set({ rate503: 1, errorMethods: ['UpdateService', 'GetService'] });
    const failed = await post(fns.sink.url, envelope(trigger, 'pubsub-structured', String(8e15)));
    emulator.faults.reset();
    const retried = await deliverUntilAcked(() => fns.sink.url, envelope(trigger, 'pubsub-structured', String(8e15)), {
      maxAttempts: 5,
      backoffMs: 200,
    });

    // The sweep repairs the last service; its JSON answer is output too (and a dry-run one).
    await breakService(CONFIGS.length);
    const dryRunSweep = await post(`${sweeper.url}?dryRun=true`, {
      path: '/?dryRun=true',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{}'),
    });
    const sweep = await post(sweeper.url, { path: '/', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') });

    // The operator's CLI with the same secret in its environment, logs shown.
    await breakService(1);
    const cliEnv = { ...rig.functionEnv, MESH_REMEDIATOR_LOG: 'stderr' };
    const reconcileExit = await runCli('cli-reconcile', ['reconcile', '--json'], cliEnv, transcript);

    const received = await pullReports();
    for (const message of received) transcript.record('report', `${JSON.stringify(message.attributes)} ${message.data}\n`);
    const reports = received.length;

    // Every line the instances logged is read below, by the checks and by the secret scan.
    await Promise.all(CONFIGS.map((c) => allLogged(fns[c], transcript)));
    const logs = (name: string) => transcript.records(`secret-${name}:`).map((r) => String(r.message));
    const sinkStatuses = sink.requests.map((r) => r.status);
    const figures = {
      transcriptBytes: transcript.size,
      sources: transcript.sources().length,
      slackRequests: sink.requests.length,
      sinkStatuses,
      reports,
      retriedStatus: failed.status,
      sweepStatuses: [dryRunSweep.status, sweep.status],
      cliReconcileExit: reconcileExit,
      leaks: rig.leaks().length,
    };
    process.stderr.write(`[reliability] secrets figures ${JSON.stringify(figures)}\n`);

    // Every path really ran ...
    expect(acked).toEqual(CONFIGS.map(() => true));
    expect(sink.requests.filter((r) => r.path === SENTINEL_PATH).length).toBeGreaterThanOrEqual(4);
    expect(sinkStatuses).toEqual(expect.arrayContaining([429, 403, 500, 410, 200]));
    expect(logs('unreachable').some((m) => /no answer from Slack/.test(m))).toBe(true);
    expect(logs('not-a-url').some((m) => /not a URL/.test(m))).toBe(true);
    expect(logs('bad-scheme').some((m) => /https URL/.test(m))).toBe(true);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(retried.acked).toBe(true);
    expect([dryRunSweep.status, sweep.status]).toEqual([200, 200]);
    expect(reconcileExit).toBe(0);
    if (pubsub) expect(reports).toBeGreaterThan(0);
    else process.stderr.write('[reliability] secrets: Pub/Sub emulator not installed: report payloads not checked\n');
    expect(await meshProblems(emulator, rig.meshFile.mesh)).toEqual([]);
    // ... and none of it said the secret.
    expect(rig.leaks()).toEqual([]);
    expect(rig.probeReports()).toEqual([]);
  },
  10 * 60_000,
);

async function pullReports(): Promise<Array<{ data: string; attributes: Record<string, string> }>> {
  if (!pubsub) return [];
  const out: Array<{ data: string; attributes: Record<string, string> }> = [];
  await new Promise<void>((resolve) => {
    const subscription = pubsub!.subscription;
    const onMessage = (message: { data: Buffer; attributes: Record<string, string>; ack(): void }) => {
      out.push({ data: message.data.toString('utf8'), attributes: message.attributes });
      message.ack();
    };
    subscription.on('message', onMessage);
    // Reports were published before this point: wait for the first, then for a quiet 750 ms (10 s at most).
    const deadline = Date.now() + 10_000;
    let count = 0;
    let quietSince = Date.now();
    const timer = setInterval(() => {
      if (out.length !== count) [count, quietSince] = [out.length, Date.now()];
      if ((count > 0 && Date.now() - quietSince >= 750) || Date.now() > deadline) {
        clearInterval(timer);
        subscription.removeListener('message', onMessage);
        void subscription.close().then(() => resolve());
      }
    }, 250);
  });
  return out;
}
