// Whether Pub/Sub should deliver an event again: one pure decision from how the event was handled.
// Acknowledged = done (or nothing to do); redelivered = Pub/Sub retries with backoff and, after the
// subscription's maximum delivery attempts, moves the message to the dead-letter topic, from which
// `mesh-remediator replay --subscription` brings it back (docs/operations.md).
import { assertNever } from './assert-never';
import type { Outcome } from './reconcile/model';

/** How long after a change its event is still worth redelivering on transient Google failures. */
export const RETRY_WINDOW_MS = 30 * 60_000;

export type Handling =
  /** Irrelevant, malformed, a duplicate, already verified: nothing left to do. */
  | { kind: 'skipped' }
  /** The mesh or the environment is unusable: the event could not be judged. The cause is ours. */
  | { kind: 'config-unusable'; problem: string }
  /** The instance is shutting down and did not start (or finish) the work. */
  | { kind: 'shutting-down' }
  /** A bug: something threw that should have become an Outcome. */
  | { kind: 'crashed'; error: string }
  | { kind: 'reconciled'; outcomes: Outcome[]; changedAt?: string };

export type Delivery = { action: 'ack'; alert?: string } | { action: 'redeliver'; reason: string };

export function decideDelivery(handling: Handling, now: number): Delivery {
  switch (handling.kind) {
    case 'skipped':
      return { action: 'ack' };
    // Never acknowledged unprocessed while the cause is ours, however old the change: after the
    // last attempt the message waits in the dead-letter topic until the configuration is fixed.
    case 'config-unusable':
      return { action: 'redeliver', reason: `configuration unusable: ${handling.problem}` };
    case 'shutting-down':
      return { action: 'redeliver', reason: 'instance shutting down before the reconcile finished' };
    case 'crashed':
      return { action: 'redeliver', reason: handling.error };
    case 'reconciled': {
      const retry = handling.outcomes.filter(isRetryable).map((o) => o.serviceKey);
      if (retry.length === 0) return { action: 'ack' };
      // The breaker lives in one instance's memory; redeliveries landing on fresh instances would
      // retry a lasting refusal (quota) until Pub/Sub gives up. Past this age the sweep owns it.
      if (tooOldToRetry(handling.changedAt, now)) {
        return {
          action: 'ack',
          alert: `the change is older than ${RETRY_WINDOW_MS / 60_000} min and still fails transiently; the sweep will reconcile ${retry.join(', ')}`,
        };
      }
      return { action: 'redeliver', reason: `transient failure reconciling ${retry.join(', ')}` };
    }
    default:
      return assertNever(handling);
  }
}

/** True when a later attempt can fix the failure (transient, or a lost race). */
export function isRetryable(outcome: Outcome): boolean {
  if (outcome.status !== 'failed') return false;
  const retryable = (cls: string | undefined) => cls === 'transient' || cls === 'conflict';
  return retryable(outcome.readError?.class) || outcome.steps.some((s) => s.status === 'failed' && retryable(s.error?.class));
}

export function tooOldToRetry(changedAt: string | undefined, now: number): boolean {
  const at = changedAt === undefined ? NaN : Date.parse(changedAt);
  return Number.isFinite(at) && now - at > RETRY_WINDOW_MS;
}
