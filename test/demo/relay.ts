// The demo's stand-in for the trigger's delivery: audit entries arrive here (as Pub/Sub push
// requests, from the Pub/Sub emulator's push subscription or straight from the Compute/Run
// emulator) and are forwarded to the function in order. While a person is still breaking
// things the gate is closed, as the Log Router's few seconds of delay would keep it in reality,
// so each scenario shows one clean detect → repair round.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Forwarded {
  status: number;
  body: Record<string, unknown>;
}

export class Relay {
  private queue: Array<Record<string, unknown>> = [];
  private open = false;
  private draining: Promise<void> = Promise.resolve();
  readonly forwarded: Forwarded[] = [];
  /** push requests received so far */
  received = 0;

  private readonly server: Server;

  private constructor(private readonly target: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.accept(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
  }

  static async start(target: string): Promise<Relay> {
    const relay = new Relay(target);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/push`;
  }

  private accept(body: Record<string, unknown>): void {
    this.received++;
    this.queue.push(body);
    if (this.open) this.drain();
  }

  hold(): void {
    this.open = false;
  }

  /** Opens the gate and resolves once everything queued so far has been answered by the function. */
  release(): Promise<void> {
    this.open = true;
    return this.drain();
  }

  private drain(): Promise<void> {
    this.draining = this.draining.then(async () => {
      while (this.open && this.queue.length > 0) {
        const body = this.queue.shift() as Record<string, unknown>;
        const res = await fetch(this.target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        this.forwarded.push({ status: res.status, body });
      }
    });
    return this.draining;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
