// One audit event, start to finish: intake (decode, skip or route), admission (duplicate
// operation, already verified), reconcile each declared service it touches, notify, and the
// delivery decision (delivery.ts) from how that went. Never throws: the caller maps the decision
// to the wire (index.ts: acknowledge, or an error status so Pub/Sub redelivers).
import type { Deps } from './composition-root';
import { ConfigurationUnusable } from './composition-root';
import { summariseProblems } from './config/config-error';
import { decideDelivery, type Delivery, type Handling } from './delivery';
import type { AuditEvent, SkipReason } from './events/audit-event';
import { intake } from './events/intake';
import type { Outcome } from './reconcile/model';

export interface EventResult {
  delivery: Delivery;
  outcomes: Outcome[];
  /** LogEntry insertId, when the input got that far. */
  insertId?: string;
}

/** Milliseconds since the epoch; tests move it. */
export type Clock = () => number;

export interface Lifecycle {
  /** Set on SIGTERM: nothing new is started; what arrives is answered for redelivery. */
  readonly draining: boolean;
}

export async function handleEvent(
  input: unknown,
  deps: Deps,
  clock: Clock = Date.now,
  lifecycle: Lifecycle = { draining: false },
): Promise<EventResult> {
  let insertId: string | undefined;
  let operationKey: string | undefined;
  let outcomes: Outcome[] = [];
  const handling = await handle().catch((err: unknown): Handling => {
    if (err instanceof ConfigurationUnusable) return { kind: 'config-unusable', problem: summariseProblems(err.problems) };
    return { kind: 'crashed', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  });
  const delivery = decideDelivery(handling, clock());
  // A delivery that will come back must not be taken for a duplicate then.
  if (delivery.action === 'redeliver') deps.admission.release(operationKey);
  report(deps, handling, delivery, { insertId, eventId: deliveryId(input) }, clock);
  return { delivery, outcomes, ...(insertId ? { insertId } : {}) };

  async function handle(): Promise<Handling> {
    if (lifecycle.draining) return { kind: 'shutting-down' };
    const result = intake(input, await deps.intakeContext());
    if (result.kind === 'skip') {
      logSkip(deps, result.reason, result.detail, result.event);
      return { kind: 'skipped' };
    }
    const { event } = result;
    insertId = event.insertId;
    operationKey = result.operationKey;
    const admitted = deps.admission.admit(result);
    if (admitted.kind === 'skip') {
      deps.counters.count(admitted.reason);
      logSkip(deps, admitted.reason, admitted.detail, event);
      return { kind: 'skipped' };
    }
    deps.logger.log('INFO', `${event.methodName} by ${event.principal ?? 'unknown'} touches ${admitted.keys.join(', ')}`, {
      insertId,
      methodName: event.methodName,
    });
    outcomes = await Promise.all(admitted.keys.map((key) => deps.reconcile(key, { trigger: event })));
    await deps.notifier.flush();
    return { kind: 'reconciled', outcomes, ...(event.timestamp ? { changedAt: event.timestamp } : {}) };
  }
}

/** The one line a delivery decision is worth: none for a plain acknowledgement. */
function report(deps: Deps, handling: Handling, delivery: Delivery, ids: { insertId?: string; eventId?: string }, clock: Clock): void {
  if (delivery.action === 'ack') {
    if (delivery.alert) deps.logger.log('ALERT', `not retrying ${ids.insertId}: ${delivery.alert}`, { ...ids, retry: false });
    return;
  }
  // Every event of a broken configuration would say the same: the alarm says it once a minute.
  if (handling.kind === 'config-unusable') deps.alarm.raise(clock());
  else deps.logger.log('ERROR', `event will be redelivered: ${delivery.reason}`, { ...ids, retry: true });
}

/** The CloudEvent's id (the Pub/Sub message id), which ties a retry line to its delivery. */
function deliveryId(input: unknown): string | undefined {
  const id = (input as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function logSkip(deps: Deps, reason: SkipReason, detail: string, event?: AuditEvent): void {
  deps.logger.log('INFO', `skipped: ${reason}: ${detail}`, {
    skipReason: reason,
    insertId: event?.insertId,
    methodName: event?.methodName,
  });
}
