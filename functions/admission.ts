// The admission step between "this event touches these declared services" and a reconcile, like
// controller-runtime's workqueue: a redelivered operation entry is not acted on twice
// (operation-dedupe.ts), a service a later read already found as declared is not read again
// (verified-reads.ts), and one service is never reconciled twice at once: callers that arrive
// while it runs share one follow-up run (single-flight.ts).
import type { AuditEvent, SkipReason } from './events/audit-event';
import { OperationDedupe } from './events/operation-dedupe';
import type { Outcome } from './reconcile/model';
import { SingleFlight } from './reconcile/single-flight';
import { VerifiedReads } from './verified-reads';

export interface AdmissionRequest {
  event: AuditEvent;
  keys: string[];
  /** `operation/phase` of a Compute or Cloud Run long-running operation entry */
  operationKey?: string;
}

export type Admitted =
  | { kind: 'admit'; keys: string[] }
  | { kind: 'skip'; reason: Extract<SkipReason, 'duplicate-operation' | 'already-verified'>; detail: string };

export class Admission {
  private readonly operations = new OperationDedupe();
  private readonly verified = new VerifiedReads();
  private readonly flights = new SingleFlight<Outcome>();

  /** Which of the event's services still need a reconcile; records its operation as handled. */
  admit({ event, keys, operationKey }: AdmissionRequest): Admitted {
    if (operationKey && this.operations.seenBefore(operationKey)) {
      return {
        kind: 'skip',
        reason: 'duplicate-operation',
        detail: `${event.methodName}: operation ${event.operation?.id ?? operationKey} was already handled`,
      };
    }
    const open = keys.filter((key) => !this.verified.covers(key, event.timestamp));
    if (open.length > 0) return { kind: 'admit', keys: open };
    return {
      kind: 'skip',
      reason: 'already-verified',
      detail: `a reconcile that began after ${event.timestamp} found ${keys.join(', ')} as declared`,
    };
  }

  /** The delivery will come back (retry): it must not be taken for a duplicate then. */
  release(operationKey: string | undefined): void {
    if (operationKey) this.operations.forget(operationKey);
  }

  /**
   * Runs `reconcile` for `key` unless one is running; a dry-run never rides on a real run (or the
   * reverse). Its verified read is remembered for later events.
   */
  async run(key: string, dryRun: boolean, reconcile: () => Promise<Outcome>): Promise<Outcome> {
    const outcome = await this.flights.run(`${key}\u0000${dryRun ? 'dry-run' : 'apply'}`, reconcile);
    this.verified.record(outcome);
    return outcome;
  }

  /** Services with a reconcile in progress (graceful shutdown waits for them). */
  active(): string[] {
    return this.flights.active().map((flight) => flight.split('\u0000')[0] as string);
  }
}
