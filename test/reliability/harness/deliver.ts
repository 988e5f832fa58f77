// Delivering to a function as Pub/Sub does: POST, and redeliver with backoff while the answer is
// not a success (a thrown handler = 500 = nack). Raw node:http so bodies go out byte for byte.
import { Agent, request } from 'node:http';
import type { HttpDelivery } from '../../support/envelopes';

export interface HttpAnswer {
  status: number;
  body: string;
  /** the Functions Framework's X-Google-Status: `error` = the handler threw, `crash` = it died */
  functionStatus?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Every answer body is output too (the secret check reads it): listeners get each one. */
const answerListeners = new Set<(answer: HttpAnswer) => void>();

export function onAnswer(listener: (answer: HttpAnswer) => void): () => void {
  answerListeners.add(listener);
  return () => answerListeners.delete(listener);
}

/** `status` 0 means the connection failed (instance down). */
export async function post(baseUrl: string, delivery: HttpDelivery, timeoutMs = 120_000): Promise<HttpAnswer> {
  const answer = await send(baseUrl, delivery, timeoutMs);
  for (const listener of answerListeners) listener(answer);
  return answer;
}

function send(baseUrl: string, delivery: HttpDelivery, timeoutMs: number): Promise<HttpAnswer> {
  const url = new URL(delivery.path, baseUrl);
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...delivery.headers, 'content-length': String(delivery.body.length) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const functionStatus = res.headers['x-google-status'];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(typeof functionStatus === 'string' ? { functionStatus } : {}),
          });
        });
        res.on('error', (err) => resolve({ status: 0, body: String(err) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ status: 0, body: String(err) }));
    req.end(delivery.body);
  });
}

/** Pub/Sub push counts these as an acknowledgement; everything else is redelivered. */
export function acknowledged(status: number): boolean {
  return [102, 200, 201, 202, 204].includes(status);
}

export interface Redelivery {
  acked: boolean;
  statuses: number[];
}

/** Delivers until acknowledged or `maxAttempts` deliveries, with a short backoff between them. */
export async function deliverUntilAcked(
  baseUrl: () => string,
  delivery: HttpDelivery,
  options: { maxAttempts: number; backoffMs: number; onAnswer?: (answer: HttpAnswer) => void },
): Promise<Redelivery> {
  const statuses: number[] = [];
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const answer = await post(baseUrl(), delivery);
    options.onAnswer?.(answer);
    statuses.push(answer.status);
    if (acknowledged(answer.status)) return { acked: true, statuses };
    await new Promise((resolve) => setTimeout(resolve, options.backoffMs * attempt));
  }
  return { acked: false, statuses };
}

export function closeConnections(): void {
  agent.destroy();
}
