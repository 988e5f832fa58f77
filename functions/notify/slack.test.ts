// The sender through the real @slack/webhook client over HTTP to a local sink. The sentinel URL
// is deliberately NOT given to the Redactor here: the sender's own messages must be clean
// without the logger's redaction to fall back on.
import { createLogger, Redactor } from '../log';
import { freePort } from '../../test/support/free-port';
import { startWebhookSink, type SlackErrorStatus, type WebhookSink } from '../../test/support/webhook-sink';
import { outcome } from './outcomes.fixture';
import { createSlackSender, retryAfterMs } from './slack';
import { slackMessage } from './slack-message';

const SENTINEL_PATH = '/services/SENTINEL-T000/B000/XXXXSECRET';
const message = slackMessage(outcome('repaired'));

let sink: WebhookSink;
let lines: string[];
let sleeps: number[];
beforeAll(async () => {
  sink = await startWebhookSink();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.requests.splice(0);
  lines = [];
  sleeps = [];
});
afterEach(() => {
  for (const line of lines) expect(line).not.toContain('SENTINEL-T000');
  for (const line of lines) expect(line).not.toContain('XXXXSECRET');
});

function sender(url = sink.url(SENTINEL_PATH), timeoutMs?: number) {
  const logger = createLogger((line) => lines.push(line));
  return createSlackSender({ url, logger, redactor: new Redactor(), sleep: async (ms) => void sleeps.push(ms), timeoutMs });
}
const logged = () => lines.map((l) => JSON.parse(l) as { severity: string; message: string });

test('posts the Block Kit message as JSON to the webhook path; 200 "ok" is success', async () => {
  await expect(sender().send(message)).resolves.toBe(true);
  expect(sink.requests).toHaveLength(1);
  const [req] = sink.requests;
  expect(req).toMatchObject({ method: 'POST', path: SENTINEL_PATH, status: 200 });
  expect(req!.headers['content-type']).toBe('application/json');
  expect(req!.body).toEqual(JSON.parse(JSON.stringify({ text: message.text, blocks: message.blocks })));
  expect(lines).toEqual([]);
});

test('429 with Retry-After: waits exactly that long (injected sleep), then succeeds', async () => {
  sink.rateLimit(2, 7);
  await expect(sender().send(message)).resolves.toBe(true);
  expect(sleeps).toEqual([7000, 7000]);
  expect(sink.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  expect(logged().map((l) => l.severity)).toEqual(['INFO', 'INFO']);
  expect(logged()[0]!.message).toBe('Slack notification attempt 1 failed (Slack answered HTTP 429 "rate_limited"); retrying in 7000 ms');
});

test('429 without Retry-After waits 1 s', async () => {
  sink.rateLimit(1, null);
  await expect(sender().send(message)).resolves.toBe(true);
  expect(sleeps).toEqual([1000]);
});

test('429 on every try: bounded at 3 attempts, then dropped with a WARNING', async () => {
  sink.rateLimit(5, 2);
  await expect(sender().send(message)).resolves.toBe(false);
  expect(sink.requests).toHaveLength(3);
  expect(sleeps).toEqual([2000, 2000]);
  expect(logged().at(-1)).toMatchObject({
    severity: 'WARNING',
    message: 'Slack notification not sent: Slack answered HTTP 429 "rate_limited"',
  });
  sink.requests.splice(0); // the two scripted 429s left over must not leak into the next test
  await sender().send(message);
  await sender().send(message);
});

test('a Retry-After beyond the 30 s bound is not waited for', async () => {
  sink.rateLimit(1, 120);
  await expect(sender().send(message)).resolves.toBe(false);
  expect(sleeps).toEqual([]);
  expect(sink.requests).toHaveLength(1);
  expect(logged().at(-1)!.message).toBe(
    'Slack notification not sent: Slack answered HTTP 429 "rate_limited"; Retry-After 120 s exceeds the 30 s bound',
  );
});

test.each<[SlackErrorStatus, string]>([
  [400, 'invalid_payload'],
  [403, 'action_prohibited'],
  [404, 'channel_not_found'],
  [410, 'channel_is_archived'],
])("%s %s: not retried, logged with Slack's answer", async (status, body) => {
  sink.fail(1, status);
  await expect(sender().send(message)).resolves.toBe(false);
  expect(sink.requests).toHaveLength(1);
  expect(logged()).toEqual([
    expect.objectContaining({ severity: 'WARNING', message: `Slack notification not sent: Slack answered HTTP ${status} "${body}"` }),
  ]);
});

test('500 rollup_error is retried after a short wait', async () => {
  sink.fail(1, 500);
  await expect(sender().send(message)).resolves.toBe(true);
  expect(sleeps).toEqual([1000]);
  expect(sink.requests.map((r) => r.status)).toEqual([500, 200]);
});

test('an unreachable webhook: 3 tries, false, a message naming the network error only', async () => {
  const port = await freePort();
  await expect(sender(`http://127.0.0.1:${port}${SENTINEL_PATH}`).send(message)).resolves.toBe(false);
  expect(sleeps).toEqual([1000, 2000]);
  expect(logged().at(-1)).toMatchObject({
    severity: 'WARNING',
    message: `Slack notification not sent: no answer from Slack at 127.0.0.1:${port} (SLACK_WEBHOOK_URL): ECONNREFUSED`,
  });
});

test('a hanging webhook times out, is retried, and the next try succeeds', async () => {
  sink.hang(1);
  await expect(sender(sink.url(SENTINEL_PATH), 300).send(message)).resolves.toBe(true);
  expect(sink.requests.map((r) => r.status)).toEqual([0, 200]);
  expect(logged()[0]!.message).toBe(
    `Slack notification attempt 1 failed (no answer from Slack at ${new URL(sink.url(SENTINEL_PATH)).host} (SLACK_WEBHOOK_URL): TimeoutError); retrying in 1000 ms`,
  );
});

test('a payload Slack refuses (over 50 blocks) is reported, not retried', async () => {
  const tooMany = { text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) };
  await expect(sender().send(tooMany)).resolves.toBe(false);
  expect(sink.requests).toHaveLength(1);
  expect(logged().at(-1)!.message).toBe('Slack notification not sent: Slack answered HTTP 400 "invalid_blocks"');
});

describe('retryAfterMs', () => {
  test('seconds, an HTTP date, and unreadable values', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(' 0 ')).toBe(0);
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs('soon')).toBe(1000);
  });
});
