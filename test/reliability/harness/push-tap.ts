// Stands where Cloud Run's front end stands between a Pub/Sub push subscription and the function:
// every push request is passed on to the current instance unchanged, and the answer Pub/Sub got
// is written down (which message, which attempt, what status). A suite reads from it what was
// acknowledged and what was not; the instance behind it can be replaced (a redeploy) while the
// push endpoint stays the same.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acknowledged, post } from './deliver';

export interface TappedDelivery {
  messageId: string;
  /** the LogEntry's insertId, when the data is one */
  insertId?: string;
  status: number;
}

export class PushTap {
  readonly deliveries: TappedDelivery[] = [];

  private constructor(
    private readonly server: Server,
    private target: string,
  ) {}

  /** `target`: the function's base URL (the request path is kept). */
  static async start(target: string): Promise<PushTap> {
    const server = createServer();
    const tap = new PushTap(server, target);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = { 'content-type': req.headers['content-type'] ?? 'application/json' };
        void post(tap.target, { path: req.url ?? '/', headers, body }).then((answer) => {
          tap.deliveries.push({ ...pushedMessage(body), status: answer.status });
          // 0: the instance could not be reached; Pub/Sub sees a failed push, as from Cloud Run's 503.
          res.writeHead(answer.status === 0 ? 503 : answer.status).end(answer.body);
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return tap;
  }

  /** The push endpoint for requests to `path` on the function. */
  endpoint(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** From now on, pushes go to this instance (a new revision behind the same URL). */
  retarget(target: string): void {
    this.target = target;
  }

  /** Message ids answered with an acknowledgement, and those never acknowledged. */
  byMessage(): { acked: TappedDelivery[]; neverAcked: Map<string, TappedDelivery[]> } {
    const attempts = new Map<string, TappedDelivery[]>();
    for (const d of this.deliveries) attempts.set(d.messageId, [...(attempts.get(d.messageId) ?? []), d]);
    const acked = this.deliveries.filter((d) => acknowledged(d.status));
    const neverAcked = new Map([...attempts].filter(([, tries]) => !tries.some((d) => acknowledged(d.status))));
    return { acked, neverAcked };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** The message id and the LogEntry's insertId of a push body ({message: {data, messageId}, subscription}). */
function pushedMessage(body: Buffer): Pick<TappedDelivery, 'messageId' | 'insertId'> {
  try {
    const push = JSON.parse(body.toString('utf8')) as { message?: { messageId?: string; data?: string } };
    const messageId = push.message?.messageId ?? '';
    const entry = JSON.parse(Buffer.from(push.message?.data ?? '', 'base64').toString('utf8')) as { insertId?: unknown };
    return { messageId, ...(typeof entry.insertId === 'string' ? { insertId: entry.insertId } : {}) };
  } catch {
    return { messageId: '' };
  }
}
