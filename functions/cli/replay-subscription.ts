// `replay --subscription projects/P/subscriptions/S`: brings back the events Pub/Sub dead-lettered
// while the function could not judge them (docs/operations.md). It pulls every message waiting on
// the subscription (synchronous pull, real @google-cloud/pubsub), puts each through the function's
// intake, reconciles each affected service once, and acknowledges a message only once every service
// it names has been reconciled to a verdict (a failed reconcile leaves its messages for the next
// replay). A crash part-way loses nothing: unacknowledged messages come back after their ack
// deadline (subscription-reader.ts). --dry-run plans only and acknowledges nothing.
import type { CliDeps } from '../composition-root';
import { mapConcurrent } from '../concurrency';
import { intake } from '../events/intake';
import type { Outcome } from '../reconcile/model';
import { SubscriptionReader } from './subscription-reader';

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

interface Pulled {
  ackId: string;
  keys: string[];
}

export async function replaySubscription(
  name: string,
  deps: CliDeps,
  options: { dryRun: boolean; drainWaitMs: number; onOutcome?: (outcome: Outcome) => void },
): Promise<SubscriptionReplay> {
  const reader = await SubscriptionReader.open(name, deps.environment.pubsubEmulator, options.drainWaitMs);
  const summary: SubscriptionReplay = { subscription: name, pulled: 0, acknowledged: 0, left: 0, skipped: {}, services: [], outcomes: [] };
  try {
    const context = await deps.intakeContext();
    const messages: Pulled[] = [];
    await reader.pullAll((batch) => {
      for (const received of batch) {
        summary.pulled++;
        const { data, messageId, attributes } = received;
        const result = intake({ data, messageId, attributes }, context);
        if (result.kind === 'skip') summary.skipped[result.reason] = (summary.skipped[result.reason] ?? 0) + 1;
        messages.push({ ackId: received.ackId, keys: result.kind === 'reconcile' ? result.keys : [] });
      }
    });
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
    await reader.acknowledge(done.map((m) => m.ackId));
    await reader.release(kept.map((m) => m.ackId));
    summary.acknowledged = done.length;
    summary.left = kept.length;
    return summary;
  } finally {
    await reader.close();
  }
}
