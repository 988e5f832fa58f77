// Level-triggered burst dedupe. A reconcile that began reading after a change, and ended in the
// declared state, has handled that change: its start time is kept per service, and an event
// whose change (LogEntry timestamp) came before it needs no reconcile of its own. Without this,
// a burst of events whose deliveries arrive over several seconds (each push held until its
// reconcile answers) costs a reconcile per wave; with it, a burst costs the first reconcile and
// at most the one single-flight queues behind it.

/**
 * Audit timestamps come from Google's clock, this instance's start times from its own; both are
 * synchronised on Google Cloud. A change stamped within this margin of a read is not trusted to
 * have been seen by it (it gets its own reconcile; the periodic sweep is the last net anyway).
 */
export const CLOCK_MARGIN_MS = 250;

export interface VerifiedOutcome {
  serviceKey: string;
  status: string;
  /** RFC 3339: when the reconcile began (its read round starts right away) */
  startedAt: string;
}

export class VerifiedReads {
  private readonly since = new Map<string, number>();

  record(outcome: VerifiedOutcome): void {
    if (outcome.status !== 'in-sync' && outcome.status !== 'repaired') return;
    const started = Date.parse(outcome.startedAt);
    if (started > (this.since.get(outcome.serviceKey) ?? -Infinity)) this.since.set(outcome.serviceKey, started);
  }

  /** True when a reconcile of `key` that ended in the declared state began reading after `changedAt`. */
  covers(key: string, changedAt: string | undefined): boolean {
    const since = this.since.get(key);
    const changed = changedAt === undefined ? NaN : Date.parse(changedAt);
    return since !== undefined && Number.isFinite(changed) && changed < since - CLOCK_MARGIN_MS;
  }
}
