// `replay --subscription projects/P/subscriptions/S`: brings back the events Pub/Sub dead-lettered
// while the function could not judge them (docs/operations.md). It pulls every message waiting on
// the subscription (synchronous pull, real @google-cloud/pubsub), puts each through the function's
// intake, reconciles each affected service once, and acknowledges a message only once every service
// it names has been reconciled to a verdict (a failed reconcile leaves its messages for the next
// replay). A crash part-way loses nothing: unacknowledged messages come back after their ack
// deadline. --dry-run plans only and acknowledges nothing.
import type { CliDeps } from '../composition-root';
import { mapConcurrent } from '../concurrency';
import { withDeadline } from '../deadline';
import { intake } from '../events/intake';
import { createSubscriber, pubsubWhere } from '../pubsub-client';
import type { Outcome } from '../reconcile/model';

/** projects/P/subscriptions/S */
const SUBSCRIPTION_NAME = /^projects\/([^/]+)\/subscriptions\/([^/]+)$/;
/** Messages per pull request (the API's maximum is 1,000). */
const PULL_BATCH = 1000;
/** A pull that waits this long without a message means the subscription is drained. */
const PULL_WAIT_MS = 5_000;
/** Pulled messages stay leased this long, renewed while their services are reconciled. */
const LEASE_SECONDS = 60;

export interface SubscriptionReplay {
  subscription: string;
  pulled: number;
  /** messages acknowledged (processed: reconciled, or nothing to do) */
  acknowledged: number;
  /** messages left on the subscription (dry run, or a reconcile that failed) */
  left: number;
  /** skip reason → messages (irrelevant, malformed, own writes...) */
  skipped: Record<string, number>;
  services: string[];
  outcomes: Outcome[];
}

export function parseSubscriptionName(name: string): { project: string; subscription: string } | undefined {
  const match = SUBSCRIPTION_NAME.exec(name);
  return match ? { project: match[1]!, subscription: match[2]! } : undefined;
}

interface Pulled {
  ackId: string;
  keys: string[];
}

export async function replaySubscription(
  name: string,
  deps: CliDeps,
  options: { dryRun: boolean; onOutcome?: (outcome: Outcome) => void; onWait?: (what: string) => void },
): Promise<SubscriptionReplay> {
  const parsed = parseSubscriptionName(name);
  if (!parsed) throw new Error(`--subscription must be projects/PROJECT/subscriptions/SUBSCRIPTION, got ${name}`);
  const emulator = deps.environment.pubsubEmulator;
  const where = pubsubWhere(name, emulator);
  const client = await createSubscriber(parsed.project, emulator);
  const summary: SubscriptionReplay = { subscription: name, pulled: 0, acknowledged: 0, left: 0, skipped: {}, services: [], outcomes: [] };
  const context = await deps.intakeContext();
  const messages: Pulled[] = [];
  const lease = setInterval(() => void extend(messages.map((m) => m.ackId)), (LEASE_SECONDS / 3) * 1000);
  lease.unref();
  try {
    for (;;) {
      options.onWait?.(`pulling from ${where}`);
      const batch = await pull();
      if (batch.length === 0) break;
      for (const received of batch) {
        summary.pulled++;
        const result = intake(asPubsubMessage(received.message), context);
        if (result.kind === 'skip') summary.skipped[result.reason] = (summary.skipped[result.reason] ?? 0) + 1;
        messages.push({ ackId: received.ackId ?? '', keys: result.kind === 'reconcile' ? result.keys : [] });
      }
      await extend(batch.map((m) => m.ackId ?? ''));
    }
    summary.services = [...new Set(messages.flatMap((m) => m.keys))];
    const verdicts = new Map<string, boolean>();
    summary.outcomes = await mapConcurrent(summary.services, deps.environment.sweepConcurrency, async (key) => {
      const outcome = await deps.reconcile(key, options.dryRun ? { dryRun: true } : {});
      verdicts.set(key, outcome.status !== 'failed');
      options.onOutcome?.(outcome);
      return outcome;
    });
    await deps.notifier.flush();
    const done = options.dryRun ? [] : messages.filter((m) => m.keys.every((key) => verdicts.get(key) === true));
    const kept = messages.filter((m) => !done.includes(m));
    await acknowledge(done.map((m) => m.ackId));
    // Back on the subscription at once, not after the lease runs out.
    await modify(
      kept.map((m) => m.ackId),
      0,
    ).catch(() => undefined);
    summary.acknowledged = done.length;
    summary.left = kept.length;
    return summary;
  } finally {
    clearInterval(lease);
    await withDeadline(client.close(), 2_000, `closing the Pub/Sub client for ${where}`).catch(() => undefined);
  }

  async function pull() {
    try {
      const [response] = await client.pull({ subscription: name, maxMessages: PULL_BATCH }, { timeout: PULL_WAIT_MS, retry: null });
      return response.receivedMessages ?? [];
    } catch (err) {
      // DEADLINE_EXCEEDED (4): nothing arrived while the pull waited.
      if ((err as { code?: unknown }).code === 4) return [];
      throw new Error(`pulling from ${where} failed: ${describe(err)}`);
    }
  }

  async function acknowledge(ackIds: string[]): Promise<void> {
    for (let i = 0; i < ackIds.length; i += PULL_BATCH) {
      await client.acknowledge({ subscription: name, ackIds: ackIds.slice(i, i + PULL_BATCH) }, { timeout: 30_000 });
    }
  }

  async function extend(ackIds: string[]): Promise<void> {
    await modify(ackIds, LEASE_SECONDS).catch(() => undefined);
  }

  async function modify(ackIds: string[], seconds: number): Promise<void> {
    for (let i = 0; i < ackIds.length; i += PULL_BATCH) {
      await client.modifyAckDeadline(
        { subscription: name, ackIds: ackIds.slice(i, i + PULL_BATCH), ackDeadlineSeconds: seconds },
        { timeout: 30_000 },
      );
    }
  }
}

/** What intake reads of a pulled message: the Pub/Sub message shape with base64 data. */
function asPubsubMessage(
  message:
    | { data?: Uint8Array | string | null; messageId?: string | null; attributes?: Record<string, string> | null; publishTime?: unknown }
    | null
    | undefined,
) {
  const data = message?.data;
  return {
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
