// The one wording of drift, steps, plans, chain links and outcomes, for every place a person reads
// them (the CLI, Slack, the alert line): the same facts in the same words everywhere. Pure.
import type { DeclaredVpcAccess, ResourceKind } from '../config/mesh';
import type { AuditEvent, SkipReason } from '../events/audit-event';
import { nameOf, partialPath } from '../gcp/refs';
import type { LinkKind, LinkState } from '../reconcile/chain';
import type { Drift, OutcomeStatus, Plan, Step } from '../reconcile/model';

/** What a step or drift is about: a chain resource, or the Cloud Run service itself. */
export type Subject = { kind: ResourceKind | 'runService'; name: string };

export function stepSubject(step: Step): Subject {
  if (step.action === 'setIngress' || step.action === 'setVpcAccess') return { kind: 'runService', name: step.service };
  return { kind: step.kind, name: step.name };
}

/** "set ingress of server-service to internal", "patch defaultService on urlMap internal-lb-url-map". */
export function describeStep(step: Step): string {
  switch (step.action) {
    case 'setIngress':
      return `set ingress of ${step.service} to ${step.ingress}`;
    case 'setVpcAccess':
      return `set vpcAccess of client ${step.client} to ${describeVpcAccess(step.vpcAccess)} (a new revision)`;
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

/** Terraform's marks: + create, - delete, ~ change in place. */
export function stepSymbol(step: Step): '+' | '-' | '~' {
  return step.action === 'create' ? '+' : step.action === 'delete' ? '-' : '~';
}

/**
 * The drift with what was wanted and what was found. `project` is the service's own: references
 * inside it are shown by collection and name, references elsewhere keep their project.
 */
export function describeDrift(drift: Drift, project?: string): { what: string; wanted: string; found: string } {
  switch (drift.type) {
    case 'service-missing':
      return { what: `Cloud Run service ${drift.service}`, wanted: 'exists', found: 'service missing' };
    case 'ingress':
      return { what: 'ingress', wanted: drift.wanted, found: drift.found };
    case 'missing':
      return { what: `${drift.kind} ${drift.name}`, wanted: 'exists', found: 'missing' };
    case 'mutable':
    case 'immutable':
      return {
        what: `${drift.kind} ${drift.name} .${drift.field}${drift.type === 'immutable' ? ' (immutable)' : ''}`,
        wanted: showValue(drift.wanted, project),
        found: showValue(drift.found, project),
      };
    case 'client-missing':
      return { what: `client Cloud Run service ${drift.client}`, wanted: 'exists', found: 'service missing' };
    case 'client-egress':
      return { what: `client ${drift.client} vpcAccess`, wanted: describeVpcAccess(drift.wanted), found: describeVpcAccess(drift.found) };
  }
}

/** "network test-vpc, subnetwork test-subnet, egress private-ranges-only", or "none". */
export function describeVpcAccess(access: DeclaredVpcAccess | null): string {
  if (!access) return 'none';
  const parts = (['network', 'subnetwork', 'connector'] as const)
    .filter((k) => access[k] !== undefined)
    .map((k) => `${k} ${nameOf(access[k] as string)}`);
  return [...parts, `egress ${access.egress}`].join(', ');
}

/** "urlMap internal-lb-url-map .defaultService: projects/p/…/backendServices/decoy → projects/p/…/backendServices/internal-lb-backend-svc" */
export function driftLine(drift: Drift, project?: string): string {
  const { what, wanted, found } = describeDrift(drift, project);
  return `${what}: ${found} → ${wanted}`;
}

const MAX_VALUE_CHARS = 200;

/** A compact, bounded rendering of a wanted/found value (they may be whole objects or references). */
export function showValue(value: unknown, project?: string): string {
  const short = (text: string) => shortRef(text, project);
  const text =
    value === undefined
      ? '(unset)'
      : typeof value === 'string'
        ? short(value)
        : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? short(v) : v));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * A Compute reference (full URL, any host, or partial path) as `COLLECTION/NAME` inside `project`,
 * else `projects/P/…/COLLECTION/NAME` (a decoy in another project must show): the URL prefix and
 * the region go, so a table of drift fits a terminal. Anything else is returned as it is.
 */
export function shortRef(value: string, project?: string): string {
  const path = partialPath(value);
  const match = /^projects\/([^/]+)\/(?:regions\/[^/]+|global|zones\/[^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return value;
  return match[1] === project ? `${match[2]}/${match[3]}` : `projects/${match[1]}/…/${match[2]}/${match[3]}`;
}

/** The plan as text, terraform-style: drift (and why some is left alone), then the steps by level. */
export function describePlan(plan: Plan): string[] {
  if (plan.drift.length === 0) return ['no drift: the mesh matches the declaration'];
  const unrepaired = new Map(plan.unrepaired.map((u) => [u.drift, u.reason]));
  const lines = ['drift:'];
  for (const d of plan.drift) {
    const reason = unrepaired.get(d);
    lines.push(`  ${driftLine(d, plan.project)}${reason ? ` (not repaired: ${reason})` : ''}`);
  }
  const steps = describeLevels(plan);
  lines.push(steps.length > 0 ? 'steps (one level at a time; the steps of a level run in parallel):' : 'steps: none', ...steps);
  return lines;
}

/** One line per step, numbered by level; the further steps of a level stand under its number. */
export function describeLevels(plan: Plan): string[] {
  return plan.levels.flatMap((level, i) =>
    level.map((step, j) => `  ${j === 0 ? `${i + 1}.` : '  '} ${stepSymbol(step)} ${describeStep(step)}`),
  );
}

/** "sweep" when the reconcile had no triggering event. */
export function describeTrigger(trigger: AuditEvent | undefined): { principal: string; method: string; time: string } {
  if (!trigger) return { principal: 'sweep', method: 'sweep', time: '' };
  return { principal: trigger.principal ?? 'unknown principal', method: trigger.methodName, time: trigger.timestamp ?? '' };
}

/** Why the function leaves an event alone, one sentence per skip reason. */
export const SKIP_WHY: Record<SkipReason, string> = {
  malformed: 'it is not an envelope the function accepts, or its LogEntry does not decode',
  'not-audit-log': 'it is a log entry but not a Cloud Audit Log entry',
  'unhandled-method': 'its method changes nothing the mesh declares (not a Cloud Run service or one of the six chain kinds)',
  'failed-call': 'the call failed, so it changed nothing',
  'operation-first': "it is a Compute operation's first entry; the function acts on the last one, when the change is done",
  'duplicate-operation': 'an entry of the same operation phase was already handled (Pub/Sub delivers at least once)',
  'own-principal': 'the function made this change itself (its repairs come back as audit entries and must not set off another round)',
  'ignored-principal': 'its principal is listed in policy.ignorePrincipals',
  'not-declared': 'the resource it changed belongs to no declared service',
  'already-verified': 'a reconcile that began after this change already found the service as declared',
};

/** How a person calls each link of the chain. */
export const LINK_TITLE: Record<LinkKind, string> = {
  address: 'address',
  forwardingRule: 'forwarding rule',
  targetProxy: 'target proxy',
  urlMap: 'URL map',
  backendService: 'backend service',
  neg: 'serverless NEG',
  runService: 'Cloud Run service',
};

/** A mark for each link state that survives without colour (a pipe, a ticket, a screen reader's text). */
export const LINK_SYMBOL: Record<LinkState, string> = { ok: '✓', missing: '✗', drifted: '~', unknown: '?' };

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

/** "1 write", "2 writes". */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}
