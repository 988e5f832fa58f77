// What a reconcile would reach now for one service, read from a dry-run outcome: the last column
// of `status` and the counts of its summary line.
import { hasSteps } from '../reconcile/plan';
import type { Outcome } from '../reconcile/model';

export type Verdict = 'in-sync' | 'would-repair' | 'drift-left' | 'service-missing' | 'paused' | 'error';

export const VERDICT_TEXT: Record<Verdict, string> = {
  'in-sync': 'in sync',
  'would-repair': 'would repair',
  'drift-left': 'drift left (policy)',
  'service-missing': 'service missing',
  paused: 'paused',
  error: 'error',
};

export function verdictOf(outcome: Outcome): Verdict {
  if (outcome.readError) return 'error';
  if (outcome.status === 'paused') return 'paused';
  const { plan } = outcome;
  if (plan.drift.length === 0) return 'in-sync';
  if (plan.drift.some((d) => d.type === 'service-missing')) return 'service-missing';
  return hasSteps(plan) ? 'would-repair' : 'drift-left';
}

export interface FleetSummary {
  services: number;
  inSync: number;
  drifted: number;
  paused: number;
  missing: number;
  errors: number;
}

export function summarise(outcomes: Outcome[]): FleetSummary {
  const verdicts = outcomes.map(verdictOf);
  const count = (...wanted: Verdict[]) => verdicts.filter((v) => wanted.includes(v)).length;
  return {
    services: outcomes.length,
    inSync: count('in-sync'),
    drifted: count('would-repair', 'drift-left'),
    paused: count('paused'),
    missing: count('service-missing'),
    errors: count('error'),
  };
}

/** 1 when a service could not be read, 2 when any drift was found (paused ones too), else 0. */
export function driftExitCode(outcomes: Outcome[]): 0 | 1 | 2 {
  if (outcomes.some((o) => o.readError)) return 1;
  return outcomes.some((o) => o.plan.drift.length > 0) ? 2 : 0;
}
