// A local stand-in for Slack's incoming webhook endpoint: a real HTTP server on
// 127.0.0.1 that records every request and answers as Slack does: 200 "ok"; 400 for a payload
// Slack would refuse (bad JSON, no text/blocks, over 50 blocks, a header over 150 characters);
// and, when told, 429 with Retry-After or Slack's error statuses with Slack's bodies.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  raw: string;
  /** What the sink answered. */
  status: number;
}

/** Slack's documented answers for each failure status. */
export const SLACK_ERROR_BODY = {
  400: 'invalid_payload',
  403: 'action_prohibited',
  404: 'channel_not_found',
  410: 'channel_is_archived',
  500: 'rollup_error',
} as const;

export type SlackErrorStatus = keyof typeof SLACK_ERROR_BODY;

const HANG = 0;

interface Scripted {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookSink {
  /** http://127.0.0.1:PORT + path (default a Slack-shaped /services/T/B/X path). */
  url(path?: string): string;
  readonly requests: SinkRequest[];
  /** Answer the next `times` requests with 429 and `Retry-After: seconds`. */
  rateLimit(times: number, retryAfterSeconds: number | null): void;
  /** Answer the next `times` requests with a Slack error status and its body. */
  fail(times: number, status: SlackErrorStatus): void;
  /** Never answer the next `times` requests (a hanging Slack); recorded with status 0. */
  hang(times: number): void;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const requests: SinkRequest[] = [];
  const script: Scripted[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const answer = script.shift() ?? judge(body);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, raw, status: answer.status });
      if (answer.status === HANG) return;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path = '/services/T000/B000/XXXX') => `http://127.0.0.1:${port}${path}`,
    requests,
    rateLimit(times, retryAfterSeconds) {
      const headers: Record<string, string> = retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) };
      for (let i = 0; i < times; i++) script.push({ status: 429, body: 'rate_limited', headers });
    },
    fail(times, status) {
      for (let i = 0; i < times; i++) script.push({ status, body: SLACK_ERROR_BODY[status], headers: {} });
    },
    hang(times) {
      for (let i = 0; i < times; i++) script.push({ status: HANG, body: '', headers: {} });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** What real Slack would answer for this payload when nothing is scripted. */
function judge(body: unknown): Scripted {
  const refuse = (reason: string): Scripted => ({ status: 400, body: reason, headers: {} });
  if (typeof body !== 'object' || body === null) return refuse('invalid_payload');
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  if (blocks === undefined && (typeof text !== 'string' || text === '')) return refuse('no_text');
  if (blocks !== undefined) {
    if (!Array.isArray(blocks) || blocks.length > 50) return refuse('invalid_blocks');
    for (const block of blocks as Array<{ type?: unknown; text?: { text?: unknown } }>) {
      if (typeof block?.type !== 'string') return refuse('invalid_blocks');
      if (block.type === 'header' && (typeof block.text?.text !== 'string' || block.text.text.length > 150))
        return refuse('invalid_blocks');
    }
  }
  return { status: 200, body: 'ok', headers: {} };
}
