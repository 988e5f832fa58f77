// One audit event, start to finish: intake (decode, skip or route), reconcile each declared
// service it touches, notify, and decide the delivery's fate. Resolving acknowledges the
// message; throwing makes Pub/Sub redeliver, so only failures a retry can fix are thrown.
import type { AuditEvent, SkipReason } from './events/audit-event';
import { intake } from './events/intake';
import type { Outcome } from './reconcile/model';
import type { Runtime } from './runtime';

/** How long after a change its event is still worth redelivering on transient failures. */
export const RETRY_WINDOW_MS = 30 * 60_000;

export function tooOldToRetry(changedAt: string | undefined, now: number): boolean {
  const at = changedAt === undefined ? NaN : Date.parse(changedAt);
  return Number.isFinite(at) && now - at > RETRY_WINDOW_MS;
}

export class RetryableFailure extends Error {
  override readonly name = 'RetryableFailure';
}

export async function handleEvent(input: unknown, runtime: Runtime): Promise<Outcome[]> {
  const context = await runtime.intakeContext();
  const result = intake(input, context);
  if (result.kind === 'skip') {
    logSkip(runtime, result.reason, result.detail, result.event);
    return [];
  }
  const { event, dedupeKey } = result;
  const keys = result.keys.filter((key) => !runtime.verifiedReads.covers(key, event.timestamp));
  if (keys.length === 0) {
    context.counters.count('already-verified');
    logSkip(runtime, 'already-verified', `a reconcile that began after ${event.timestamp} found ${result.keys.join(', ')} as declared`, event);
    return [];
  }
  const log = runtime.logger.with({ insertId: event.insertId });
  log.log('INFO', `${event.methodName} by ${event.principal ?? 'unknown'} touches ${keys.join(', ')}`, { methodName: event.methodName });

  const { isRetryable } = require('./reconcile/reconciler') as typeof import('./reconcile/reconciler');
  let outcomes: Outcome[];
  try {
    outcomes = await Promise.all(keys.map((key) => runtime.reconcile(key, { trigger: event })));
  } catch (err) {
    forgetOperation();
    throw err;
  }
  await runtime.notifier.flush();

  const retry = outcomes.filter(isRetryable);
  if (retry.length > 0 && tooOldToRetry(event.timestamp, Date.now())) {
    // The breaker lives in one instance's memory; redeliveries landing on fresh instances would
    // retry a lasting refusal (quota) until Pub/Sub gives up. Past this age the sweep owns it.
    log.log('ALERT', `not retrying ${event.insertId}: the change is older than ${RETRY_WINDOW_MS / 60_000} min and still fails transiently; the sweep will reconcile ${retry.map((o) => o.serviceKey).join(', ')}`, {
      retry: false,
    });
  } else if (retry.length > 0) {
    forgetOperation();
    throw new RetryableFailure(
      `transient failure reconciling ${retry.map((o) => o.serviceKey).join(', ')}; Pub/Sub will redeliver ${event.insertId}`,
    );
  }
  return outcomes;

  // A delivery that will be retried must not be taken for a duplicate when it comes back.
  function forgetOperation(): void {
    if (dedupeKey) context.dedupe.forget(dedupeKey);
  }
}

function logSkip(runtime: Runtime, reason: SkipReason, detail: string, event?: AuditEvent): void {
  runtime.logger.log('INFO', `skipped: ${reason}: ${detail}`, { skipReason: reason, insertId: event?.insertId, methodName: event?.methodName });
}
