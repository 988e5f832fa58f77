// One wording of drift, steps and triggers for every notification channel (Slack, report,
// alert lines), so a person reading Slack and a script reading the report see the same facts.
import type { ResourceKind } from '../config/mesh';
import type { AuditEvent } from '../events/audit-event';
import type { Drift, OutcomeStatus, Step } from '../reconcile/model';
import { describeVpcAccess } from '../reconcile/plan';

/** What a step or drift is about: a chain resource, or the Cloud Run service itself. */
export type Subject = { kind: ResourceKind | 'runService'; name: string };

export function stepSubject(step: Step): Subject {
  if (step.action === 'setIngress' || step.action === 'setVpcAccess') return { kind: 'runService', name: step.service };
  return { kind: step.kind, name: step.name };
}

/** "setTarget on forwardingRule internal-lb-frontend", "set ingress of server-service to internal". */
export function describeStep(step: Step): string {
  switch (step.action) {
    case 'setIngress':
      return `set ingress of ${step.service} to ${step.ingress}`;
    case 'setVpcAccess':
      return `set vpcAccess of client ${step.client} to ${describeVpcAccess(step.vpcAccess)}`;
    case 'create':
      return `create ${step.kind} ${step.name}`;
    case 'delete':
      return `delete ${step.kind} ${step.name}`;
    case 'mutate': {
      const m = step.mutation;
      const what = m.method === 'patch' ? `patch ${Object.keys(m.fields).join(', ')}` : m.method;
      return `${what} on ${step.kind} ${step.name}`;
    }
  }
}

/** The drift as one line with what was wanted and what was found. */
export function describeDrift(drift: Drift): { what: string; wanted: string; found: string } {
  switch (drift.type) {
    case 'service-missing':
      return { what: `Cloud Run service ${drift.service}`, wanted: 'exists', found: 'missing' };
    case 'ingress':
      return { what: 'ingress', wanted: drift.wanted, found: drift.found };
    case 'missing':
      return { what: `${drift.kind} ${drift.name}`, wanted: 'exists', found: 'missing' };
    case 'mutable':
    case 'immutable':
      return {
        what: `${drift.kind} ${drift.name} .${drift.field}${drift.type === 'immutable' ? ' (immutable)' : ''}`,
        wanted: showValue(drift.wanted),
        found: showValue(drift.found),
      };
    case 'client-missing':
      return { what: `client Cloud Run service ${drift.client}`, wanted: 'exists', found: 'missing' };
    case 'client-egress':
      return { what: `client ${drift.client} vpcAccess`, wanted: describeVpcAccess(drift.wanted), found: describeVpcAccess(drift.found) };
  }
}

const MAX_VALUE_CHARS = 200;

/** A compact, bounded rendering of a wanted/found value (they may be whole objects). */
export function showValue(value: unknown): string {
  const text = value === undefined ? '(unset)' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** "sweep" when the reconcile had no triggering event. */
export function describeTrigger(trigger: AuditEvent | undefined): { principal: string; method: string; time: string } {
  if (!trigger) return { principal: 'sweep', method: 'sweep', time: '' };
  return { principal: trigger.principal ?? 'unknown principal', method: trigger.methodName, time: trigger.timestamp ?? '' };
}

export const STATUS_TITLE: Record<OutcomeStatus, string> = {
  'in-sync': 'In sync',
  repaired: 'Repaired',
  failed: 'Repair failed',
  'drift-detected': 'Drift detected',
  paused: 'Paused',
  'breaker-open': 'Breaker open',
};

/** Lower-case past tense for summaries: "3 services repaired", "1 repair failed". */
export const STATUS_VERB: Record<OutcomeStatus, string> = {
  'in-sync': 'in sync',
  repaired: 'repaired',
  failed: 'repair failed',
  'drift-detected': 'drift detected',
  paused: 'paused',
  'breaker-open': 'breaker open',
};
