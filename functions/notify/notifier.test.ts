// The notifier end to end: real @slack/webhook to a local sink, the real Pub/Sub emulator for
// reports (skipped visibly where absent), and a sentinel webhook URL that must never show up in
// a log line, stdout/stderr, a report, a Slack body or an error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message, PubSub as PubSubClient } from '@google-cloud/pubsub';
import { parseEnvironment } from '../config/environment';
import { createLogger, slackRedactor } from '../log';
import type { Outcome, OutcomeStatus } from '../reconcile/model';
import { freePort } from '../../test/support/free-port';
import { evalArgs } from '../../test/support/function-code';
import { startPubSubEmulator, type PubSubEmulator } from '../../test/support/pubsub-emulator';
import { pubSubTest } from '../../test/support/pubsub-test';
import { startWebhookSink, type WebhookSink } from '../../test/support/webhook-sink';
import { createNotifier, type Notifier } from './notifier';
import { outcome } from './outcomes.fixture';

const SENTINEL_PATH = '/services/SENTINEL-T000/B000/XXXXSECRET';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sink: WebhookSink;
let emulator: PubSubEmulator | null = null;
let lines: string[];
let printed: string[];
let sleeps: number[];
const notifiers: Notifier[] = [];

beforeAll(async () => {
  sink = await startWebhookSink();
  emulator = await startPubSubEmulator();
}, 90_000);
afterAll(async () => {
  await sink.close();
  await emulator?.stop();
});
beforeEach(() => {
  sink.requests.splice(0);
  lines = [];
  printed = [];
  sleeps = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    });
  }
});
afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((n) => n.close()));
  jest.restoreAllMocks();
  expectNoSentinel([...lines, ...printed, ...sink.requests.map((r) => r.raw)]);
});

function expectNoSentinel(texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain('SENTINEL-T000');
    expect(text).not.toContain('XXXXSECRET');
  }
}

/** A short coalescing window keeps the suite fast; the coalescing tests use the real default. */
function notifier(
  env: NodeJS.ProcessEnv = { SLACK_WEBHOOK_URL: sink.url(SENTINEL_PATH) },
  window: 'default' | 'short' = 'short',
): Notifier {
  // The emulator the report tests start is named in this process's environment.
  const { environment, problems } = parseEnvironment({ PUBSUB_EMULATOR_HOST: process.env.PUBSUB_EMULATOR_HOST, ...env });
  expect(problems).toEqual([]);
  const redactor = slackRedactor(environment.slackWebhook?.url);
  const logger = createLogger((line) => lines.push(line), redactor);
  const coalesceWindowMs = window === 'short' ? 50 : undefined;
  const n = createNotifier({ environment, logger, redactor, sleep: async (ms) => void sleeps.push(ms), coalesceWindowMs });
  notifiers.push(n);
  return n;
}
const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown> & { severity: string; message: string });
const alertLines = () => records().filter((r) => r.event === 'mesh-remediator.outcome');
const headers = () =>
  sink.requests.map((r) => (r.body as { blocks: Array<{ type: string; text: { text: string } }> }).blocks[0]!.text.text);

test('in-sync and paused: an alert line each, no Slack message', async () => {
  const n = notifier();
  await n.notify(outcome('in-sync'));
  await n.notify(outcome('paused', 'paused-svc'));
  await n.flush();
  expect(sink.requests).toEqual([]);
  expect(alertLines().map((r) => [r.severity, r.outcome])).toEqual([
    ['INFO', 'in-sync'],
    ['WARNING', 'paused'],
  ]);
});

test.each<[OutcomeStatus, string, string]>([
  ['repaired', 'Repaired: server-service', 'NOTICE'],
  ['failed', 'Repair failed: server-service', 'ERROR'],
  ['drift-detected', 'Drift detected: server-service', 'WARNING'],
  ['breaker-open', 'Breaker open: server-service', 'ALERT'],
])('%s: one Slack message "%s" and a %s alert line', async (status, header, severity) => {
  const n = notifier();
  await n.notify(outcome(status));
  await n.flush();
  expect(headers()).toEqual([header]);
  expect(sink.requests[0]!.status).toBe(200);
  expect((sink.requests[0]!.body as { text: string }).text).toMatch(/^\S.*server-service \(demo-project\/asia-northeast1\)/);
  expect(alertLines().map((r) => r.severity)).toEqual([severity]);
});

test('three incidents within one second: one summary message', async () => {
  const n = notifier(undefined, 'default');
  await n.notify(outcome('repaired', 'alpha'));
  await wait(300);
  await n.notify(outcome('repaired', 'beta'));
  await n.notify(outcome('in-sync', 'quiet')); // not an incident: no section
  await wait(300);
  await n.notify(outcome('repaired', 'gamma'));
  await n.flush();
  expect(headers()).toEqual(['3 services repaired']);
  const body = sink.requests[0]!.body as { text: string; blocks: unknown[] };
  expect(body.text).toBe('3 services repaired: alpha (repaired), beta (repaired), gamma (repaired)');
  expect(body.blocks.length).toBeLessThanOrEqual(50);
});

test('incidents more than a second apart: separate messages', async () => {
  const n = notifier(undefined, 'default');
  await n.notify(outcome('repaired', 'alpha'));
  await wait(1100);
  await n.notify(outcome('failed', 'beta'));
  await wait(1100);
  await n.notify(outcome('repaired', 'gamma'));
  await n.flush();
  expect(headers()).toEqual(['Repaired: alpha', 'Repair failed: beta', 'Repaired: gamma']);
});

test('429 Retry-After is honoured through the notifier', async () => {
  sink.rateLimit(1, 4);
  const n = notifier();
  await n.notify(outcome('repaired'));
  await n.flush();
  expect(sleeps).toEqual([4000]);
  expect(sink.requests.map((r) => r.status)).toEqual([429, 200]);
});

test('Slack failing (500 three times): notify and flush resolve, a WARNING says why, no URL anywhere', async () => {
  sink.fail(3, 500);
  const n = notifier();
  await expect(n.notify(outcome('failed'))).resolves.toBeUndefined();
  await expect(n.flush()).resolves.toBeUndefined();
  expect(sink.requests.map((r) => r.status)).toEqual([500, 500, 500]);
  expect(records().at(-1)).toMatchObject({
    severity: 'WARNING',
    message: 'Slack notification not sent: Slack answered HTTP 500 "rollup_error"',
  });
});

test('Slack unreachable: swallowed, logged by network error code only', async () => {
  const port = await freePort();
  const n = notifier({ SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}${SENTINEL_PATH}` });
  await n.notify(outcome('repaired'));
  await expect(n.flush()).resolves.toBeUndefined();
  expect(records().at(-1)).toMatchObject({
    severity: 'WARNING',
    message: `Slack notification not sent: no answer from Slack at 127.0.0.1:${port} (SLACK_WEBHOOK_URL): ECONNREFUSED`,
  });
});

test('an outcome whose reason quotes the webhook URL: scrubbed from the alert line and the Slack body', async () => {
  const url = sink.url(SENTINEL_PATH);
  const n = notifier({ SLACK_WEBHOOK_URL: url });
  await n.notify(outcome('failed', 'server-service', { reason: `POST ${url} failed; path ${SENTINEL_PATH}` }));
  await n.flush();
  expect(alertLines()[0]!.reason).toBe('POST [redacted] failed; path [redacted]');
  expect(sink.requests[0]!.raw).toContain('POST [redacted] failed');
});

test('the URL from SLACK_WEBHOOK_URL_FILE (a mounted secret) works the same', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'slack-secret-')), 'url');
  writeFileSync(file, sink.url(SENTINEL_PATH) + '\n');
  const n = notifier({ SLACK_WEBHOOK_URL_FILE: file });
  await n.notify(outcome('repaired'));
  await n.flush();
  expect(sink.requests.map((r) => r.path)).toEqual([SENTINEL_PATH]);
});

test('no webhook configured: Slack off (said once), alert lines still written', async () => {
  const n = notifier({});
  await n.notify(outcome('repaired'));
  await n.flush();
  expect(records()[0]).toMatchObject({ severity: 'INFO', message: 'Slack notifications off: SLACK_WEBHOOK_URL is not set' });
  expect(alertLines()).toHaveLength(1);
  expect(sink.requests).toEqual([]);
});

test('@google-cloud/pubsub and @slack/webhook are not loaded until first used', () => {
  const script = `
    const { createNotifier } = require('./functions/notify/notifier');
    const { parseEnvironment } = require('./functions/config/environment');
    const { memoryLogger, Redactor } = require('./functions/log');
    const { outcome } = require('./functions/notify/outcomes.fixture');
    const loaded = () => ['@google-cloud/pubsub', '@slack/webhook'].filter((m) => Object.keys(require.cache).some((k) => k.includes(m)));
    const tick = () => new Promise((resolve) => setTimeout(resolve, 200));
    const { environment } = parseEnvironment({ REPORT_TOPIC: 'projects/p/topics/t', SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/services/T/B/X', PUBSUB_EMULATOR_HOST: '127.0.0.1:9' });
    (async () => {
      const n = createNotifier({ environment, logger: memoryLogger(), redactor: new Redactor(), coalesceWindowMs: 0 });
      await tick();
      const afterCreate = loaded();
      void n.notify(outcome('in-sync'));
      await tick();
      const afterInSync = loaded();
      void n.notify(outcome('repaired'));
      await tick();
      console.log(JSON.stringify({ afterCreate, afterInSync, afterRepaired: loaded() }));
      process.exit(0);
    })();`;
  const child = spawnSync(process.execPath, evalArgs(script), {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, PUBSUB_EMULATOR_HOST: '127.0.0.1:9', METADATA_SERVER_DETECTION: 'none' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stderr).toBe('');
  expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual({
    afterCreate: [],
    afterInSync: ['@google-cloud/pubsub'], // the in-sync report
    afterRepaired: ['@google-cloud/pubsub', '@slack/webhook'],
  });
}, 60_000);

describe('reports through the real Pub/Sub emulator', () => {
  let admin: PubSubClient | undefined;
  const previousHost = process.env.PUBSUB_EMULATOR_HOST;
  beforeAll(async () => {
    if (!emulator) return;
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    const { PubSub } = await import('@google-cloud/pubsub');
    admin = new PubSub({ projectId: 'notify-project' });
  });
  afterAll(async () => {
    await admin?.close();
    if (previousHost === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
    else process.env.PUBSUB_EMULATOR_HOST = previousHost;
  });

  const withPubSub = pubSubTest();

  withPubSub(
    'one report per outcome (in-sync too), with filter attributes, and no URL inside',
    async () => {
      const [topic] = await admin!.createTopic('outcomes');
      const [all] = await topic.createSubscription('outcomes-all');
      const url = sink.url(SENTINEL_PATH);
      const n = notifier({ SLACK_WEBHOOK_URL: url, REPORT_TOPIC: 'projects/notify-project/topics/outcomes' });
      const outcomes: Outcome[] = [
        outcome('in-sync', 'a'),
        outcome('repaired', 'b'),
        outcome('failed', 'c', { reason: `webhook ${url} mentioned` }),
        outcome('drift-detected', 'd'),
      ];
      for (const o of outcomes) await n.notify(o);
      await n.flush();

      const received = await pull(all, outcomes.length).finally(() => all.close());
      const reports = received.map((m) => ({ attributes: m.attributes, data: m.data.toString('utf8') }));
      expectNoSentinel(reports.map((r) => r.data));
      const byService = Object.fromEntries(reports.map((r) => [JSON.parse(r.data).service as string, r]));
      expect(Object.keys(byService).sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(byService.c!.attributes).toEqual({
        service: 'demo-project/asia-northeast1/c',
        outcome: 'failed',
        dryRun: 'false',
        schemaVersion: '2',
      });
      expect(byService.d!.attributes).toMatchObject({ outcome: 'drift-detected', dryRun: 'true' });
      expect(JSON.parse(byService.c!.data).reason).toBe('webhook [redacted] mentioned');
    },
    60_000,
  );

  withPubSub(
    "a sweep's in-sync services: an alert line each and no report (the sweep's summary counts them); its other outcomes and shard summaries are reported",
    async () => {
      const [topic] = await admin!.createTopic('sweep-outcomes');
      const [all] = await topic.createSubscription('sweep-outcomes-all');
      const n = notifier({ REPORT_TOPIC: 'projects/notify-project/topics/sweep-outcomes' });
      await n.notify(outcome('in-sync', 'quiet'), { sweep: true });
      await n.notify(outcome('repaired', 'fixed'), { sweep: true });
      await n.notify(outcome('in-sync', 'event'));
      await expect(n.publishShardReport({ summary: { services: 2 } }, { kind: 'sweep-shard' })).resolves.toEqual(expect.any(String));
      await n.flush();

      const received = await pull(all, 3).finally(() => all.close());
      const kinds = received.map((m) => m.attributes.kind ?? (JSON.parse(m.data.toString('utf8')) as { service: string }).service).sort();
      expect(kinds).toEqual(['event', 'fixed', 'sweep-shard']);
      expect(alertLines().map((r) => r.outcome)).toEqual(['in-sync', 'repaired', 'in-sync']);
    },
    60_000,
  );

  withPubSub(
    'a topic that does not exist: a WARNING per report, nothing thrown',
    async () => {
      const n = notifier({ REPORT_TOPIC: 'projects/notify-project/topics/no-such-topic' });
      await expect(n.notify(outcome('repaired'))).resolves.toBeUndefined();
      await expect(n.flush()).resolves.toBeUndefined();
      const warning = records().find((r) => r.message.startsWith('report not published:'));
      expect(warning).toMatchObject({ severity: 'WARNING', serviceKey: 'demo-project/asia-northeast1/server-service' });
      expect(warning!.message).toMatch(/NOT_FOUND|not found/i);
    },
    60_000,
  );
});

function pull(subscription: { on(event: 'message', listener: (m: Message) => void): unknown }, count: number): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    const messages: Message[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages arrived`)), 20_000);
    subscription.on('message', (m) => {
      m.ack();
      messages.push(m);
      if (messages.length === count) {
        // more than expected would show up as a longer array in the assertions that follow
        clearTimeout(timer);
        resolve(messages);
      }
    });
  });
}
