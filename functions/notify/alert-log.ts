// One structured log line per reconcile outcome, the thing log-based metrics and alert policies
// count. Cloud Logging moves `logging.googleapis.com/labels` of a JSON line into the entry's
// labels, so a metric filters on `jsonPayload.event="mesh-remediator.outcome"` and groups by
// `labels.mesh_remediator_outcome` / `labels.mesh_remediator_service`. These names are a contract
// (docs/report-schema.md, the Terraform metric): never rename them.
import type { Logger, Severity } from '../log';
import type { Outcome, OutcomeStatus } from '../reconcile/model';
import { chainOf } from '../reconcile/chain';
import { describePlan, describeTrigger, plural, STATUS_VERB } from './describe';

export const OUTCOME_EVENT = 'mesh-remediator.outcome';
export const OUTCOME_LABEL = 'mesh_remediator_outcome';
export const SERVICE_LABEL = 'mesh_remediator_service';

/** The one severity map: each outcome's line is logged at this severity, and nothing else logs an outcome. */
export const OUTCOME_SEVERITY: Record<OutcomeStatus, Severity> = {
  'in-sync': 'INFO',
  repaired: 'NOTICE',
  // dry-run found drift: someone should look, nothing is broken by us
  'drift-detected': 'WARNING',
  // drift may be left open on purpose; visible, not paging
  paused: 'WARNING',
  failed: 'ERROR',
  'breaker-open': 'ALERT',
};

export function logOutcome(logger: Logger, outcome: Outcome): void {
  const { plan } = outcome;
  const trigger = describeTrigger(outcome.trigger);
  const reason = outcome.reason ? `: ${outcome.reason}` : '';
  logger.log(
    OUTCOME_SEVERITY[outcome.status],
    `${outcome.serviceKey} ${STATUS_VERB[outcome.status]} (${plan.drift.length} drift, ${plural(outcome.writes, 'write')}, ${outcome.durationMs} ms)${reason}`,
    {
      event: OUTCOME_EVENT,
      serviceKey: outcome.serviceKey,
      ...(outcome.trigger ? { insertId: outcome.trigger.insertId } : {}),
      outcome: outcome.status,
      dryRun: outcome.dryRun,
      drift: plan.drift.length,
      remainingDrift: outcome.remainingDrift.length,
      writes: outcome.writes,
      writeAttempts: outcome.writeAttempts,
      // The plan as text and each link's state: what a person reading the log needs, in the CLI's words.
      ...(plan.drift.length > 0
        ? { plan: describePlan(plan), chain: Object.fromEntries(chainOf(outcome).map((l) => [l.kind, l.state])) }
        : {}),
      durationMs: outcome.durationMs,
      principal: trigger.principal,
      methodName: trigger.method,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      'logging.googleapis.com/labels': { [OUTCOME_LABEL]: outcome.status, [SERVICE_LABEL]: outcome.serviceKey },
    },
  );
}
