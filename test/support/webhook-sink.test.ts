import { SLACK_ERROR_BODY, startWebhookSink, type WebhookSink } from './webhook-sink';

let sink: WebhookSink;
beforeAll(async () => {
  sink = await startWebhookSink();
});
afterAll(() => sink.close());
beforeEach(() => sink.requests.splice(0));

async function post(body: unknown): Promise<{ status: number; text: string; retryAfter: string | null }> {
  const res = await fetch(sink.url(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

test('answers a valid message 200 "ok" and records it', async () => {
  expect(await post({ text: 'hi', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'H' } }] })).toMatchObject({
    status: 200,
    text: 'ok',
  });
  expect(sink.requests).toHaveLength(1);
  expect(sink.requests[0]).toMatchObject({ method: 'POST', path: '/services/T000/B000/XXXX', status: 200, body: { text: 'hi' } });
  expect(sink.requests[0]!.headers['content-type']).toBe('application/json');
});

test('refuses what Slack refuses: bad JSON, no text, over 50 blocks, a header over 150 characters', async () => {
  expect(await post('{not json')).toMatchObject({ status: 400, text: 'invalid_payload' });
  expect(await post({})).toMatchObject({ status: 400, text: 'no_text' });
  const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
  expect(await post({ text: 't', blocks: many })).toMatchObject({ status: 400, text: 'invalid_blocks' });
  expect(await post({ text: 't', blocks: many.slice(0, 50) })).toMatchObject({ status: 200 });
  const longHeader = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
  expect(await post({ text: 't', blocks: longHeader })).toMatchObject({ status: 400, text: 'invalid_blocks' });
});

test('rate-limits the next k requests with Retry-After, then answers normally', async () => {
  sink.rateLimit(2, 3);
  expect(await post({ text: 'a' })).toEqual({ status: 429, text: 'rate_limited', retryAfter: '3' });
  expect(await post({ text: 'a' })).toEqual({ status: 429, text: 'rate_limited', retryAfter: '3' });
  expect(await post({ text: 'a' })).toMatchObject({ status: 200, text: 'ok' });
});

test.each(Object.entries(SLACK_ERROR_BODY))("fails with %s and Slack's body %s when told", async (status, body) => {
  sink.fail(1, Number(status) as keyof typeof SLACK_ERROR_BODY);
  expect(await post({ text: 'a' })).toMatchObject({ status: Number(status), text: body });
  expect(await post({ text: 'a' })).toMatchObject({ status: 200 });
});

test('hangs the next request when told (the client has to time out)', async () => {
  sink.hang(1);
  await expect(fetch(sink.url(), { method: 'POST', body: '{}', signal: AbortSignal.timeout(200) })).rejects.toThrow();
  expect(sink.requests.map((r) => r.status)).toEqual([0]);
  expect(await post({ text: 'a' })).toMatchObject({ status: 200 });
});
