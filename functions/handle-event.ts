// One audit event, start to finish: intake (decode, skip or route), reconcile each declared
// service it touches, notify, and decide the delivery's fate. Resolving acknowledges the
// message; throwing makes Pub/Sub redeliver, so only failures a retry can fix are thrown.
import { intake } from './events/intake';
import type { Outcome } from './reconcile/model';
import type { Runtime } from './runtime';

export class RetryableFailure extends Error {
  override readonly name = 'RetryableFailure';
}

export async function handleEvent(input: unknown, runtime: Runtime): Promise<Outcome[]> {
  const context = await runtime.intakeContext();
  const result = intake(input, context);
  if (result.kind === 'skip') {
    runtime.logger.log('INFO', `skipped: ${result.reason}: ${result.detail}`, {
      skipReason: result.reason,
      insertId: result.event?.insertId,
      methodName: result.event?.methodName,
    });
    return [];
  }
  const { event, keys, dedupeKey } = result;
  const log = runtime.logger.with({ insertId: event.insertId });
  log.log('INFO', `${event.methodName} by ${event.principal ?? 'unknown'} touches ${keys.join(', ')}`, { methodName: event.methodName });

  const { isRetryable } = require('./reconcile/reconciler') as typeof import('./reconcile/reconciler');
  let outcomes: Outcome[];
  try {
    outcomes = await Promise.all(keys.map((key) => runtime.reconciler.reconcile(key, { trigger: event })));
  } catch (err) {
    forgetOperation();
    throw err;
  }
  await Promise.all(outcomes.map((outcome) => runtime.notifier.notify(outcome)));
  await runtime.notifier.flush();

  const retry = outcomes.filter(isRetryable);
  if (retry.length > 0) {
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
