// One counter per skip reason, per instance: the log line says why one entry was skipped; the
// snapshot says how the instance's traffic splits (bench and sweep reports print it).
import type { SkipReason } from './audit-event';

function zero(): Record<SkipReason, number> {
  // A Record literal: the compiler insists every SkipReason is here.
  return {
    malformed: 0,
    'not-audit-log': 0,
    'unhandled-method': 0,
    'failed-call': 0,
    'operation-first': 0,
    'duplicate-operation': 0,
    'own-principal': 0,
    'ignored-principal': 0,
    'not-declared': 0,
    'already-verified': 0,
  };
}

export const SKIP_REASONS = Object.freeze(Object.keys(zero()) as SkipReason[]);

export class SkipCounters {
  private readonly counts = zero();

  count(reason: SkipReason): void {
    this.counts[reason]++;
  }

  snapshot(): Record<SkipReason, number> {
    return { ...this.counts };
  }
}
