// Reading what waits on a Pub/Sub subscription, for commands that work through it and then decide
// what to acknowledge (replay --subscription, sweep-report): synchronous pull with the real
// @google-cloud/pubsub client until a pull brings nothing within the drain wait (--drain-wait; Pub/Sub
// may answer with nothing sooner, docs/google-behaviour.md); every message pulled stays
// leased (renewed) until the command acknowledges it or releases it, and a released one is back
// on the subscription at once, not after its lease runs out. A crash part-way loses nothing:
// unacknowledged messages come back after their ack deadline.
import type { HostPort } from '../config/environment';
import { withDeadline } from '../deadline';
import { createSubscriber, pubsubWhere, type SubscriberClient } from '../pubsub-client';

/** projects/P/subscriptions/S */
const SUBSCRIPTION_NAME = /^projects\/([^/]+)\/subscriptions\/([^/]+)$/;
/** Messages per pull request (the API's maximum is 1,000). */
const PULL_BATCH = 1000;
/** Pulled messages stay leased this long, renewed while the command works on them. */
const LEASE_SECONDS = 60;

/** A pulled message as the commands read it: data as base64 text, as in a push body. */
export interface PulledMessage {
  ackId: string;
  data: string;
  messageId: string;
  attributes: Record<string, string>;
}

export function parseSubscriptionName(name: string): { project: string; subscription: string } | undefined {
  const match = SUBSCRIPTION_NAME.exec(name);
  return match ? { project: match[1]!, subscription: match[2]! } : undefined;
}

export class SubscriptionReader {
  /** `projects/P/subscriptions/S at <endpoint> (<variable>)`, for messages. */
  readonly where: string;
  private readonly held = new Set<string>();
  private readonly lease: NodeJS.Timeout;

  private constructor(
    readonly name: string,
    private readonly client: SubscriberClient,
    emulator: HostPort | undefined,
    /** A pull's deadline: one that brings nothing within it means the subscription is drained. */
    private readonly drainWaitMs: number,
  ) {
    this.where = pubsubWhere(name, emulator);
    this.lease = setInterval(() => void this.modify([...this.held], LEASE_SECONDS).catch(() => undefined), (LEASE_SECONDS / 3) * 1000);
    this.lease.unref();
  }

  /** `drainWaitMs`: the longest one pull waits for a message before the subscription counts as drained. */
  static async open(name: string, emulator: HostPort | undefined, drainWaitMs: number): Promise<SubscriptionReader> {
    const parsed = parseSubscriptionName(name);
    if (!parsed) throw new Error(`--subscription must be projects/PROJECT/subscriptions/SUBSCRIPTION, got ${name}`);
    return new SubscriptionReader(name, await createSubscriber(parsed.project, emulator), emulator, drainWaitMs);
  }

  /** Every message waiting now, each leased until acknowledged or released; `onBatch` sees each pull's. */
  async pullAll(onBatch: (batch: PulledMessage[]) => void = () => undefined): Promise<PulledMessage[]> {
    const all: PulledMessage[] = [];
    for (;;) {
      const batch = await this.pull();
      if (batch.length === 0) return all;
      for (const message of batch) this.held.add(message.ackId);
      await this.modify(
        batch.map((m) => m.ackId),
        LEASE_SECONDS,
      ).catch(() => undefined);
      onBatch(batch);
      all.push(...batch);
    }
  }

  async acknowledge(ackIds: string[]): Promise<void> {
    for (let i = 0; i < ackIds.length; i += PULL_BATCH) {
      const part = ackIds.slice(i, i + PULL_BATCH);
      await this.client.acknowledge({ subscription: this.name, ackIds: part }, { timeout: 30_000 });
      for (const ackId of part) this.held.delete(ackId);
    }
  }

  /** Back on the subscription now, for the next reader. */
  async release(ackIds: string[]): Promise<void> {
    for (const ackId of ackIds) this.held.delete(ackId);
    await this.modify(ackIds, 0).catch(() => undefined);
  }

  /** Releases whatever is still held, and closes the client (bounded: it must not hold the process). */
  async close(): Promise<void> {
    clearInterval(this.lease);
    await this.release([...this.held]);
    await withDeadline(this.client.close(), 2_000, `closing the Pub/Sub client for ${this.where}`).catch(() => undefined);
  }

  private async pull(): Promise<PulledMessage[]> {
    try {
      const [response] = await this.client.pull(
        { subscription: this.name, maxMessages: PULL_BATCH },
        { timeout: this.drainWaitMs, retry: null },
      );
      return (response.receivedMessages ?? []).map((received) => pulledMessage(received.ackId ?? '', received.message));
    } catch (err) {
      // DEADLINE_EXCEEDED (4): nothing arrived while the pull waited.
      if ((err as { code?: unknown }).code === 4) return [];
      throw new Error(`pulling from ${this.where} failed: ${describe(err)}`);
    }
  }

  private async modify(ackIds: string[], seconds: number): Promise<void> {
    for (let i = 0; i < ackIds.length; i += PULL_BATCH) {
      await this.client.modifyAckDeadline(
        { subscription: this.name, ackIds: ackIds.slice(i, i + PULL_BATCH), ackDeadlineSeconds: seconds },
        { timeout: 30_000 },
      );
    }
  }
}

function pulledMessage(
  ackId: string,
  message: { data?: Uint8Array | string | null; messageId?: string | null; attributes?: Record<string, string> | null } | null | undefined,
): PulledMessage {
  const data = message?.data;
  return {
    ackId,
    data: typeof data === 'string' ? data : Buffer.from(data ?? new Uint8Array()).toString('base64'),
    messageId: message?.messageId ?? '',
    attributes: message?.attributes ?? {},
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return `${code !== undefined ? `code ${String(code)}: ` : ''}${err.message.split('\n')[0]}`;
}
