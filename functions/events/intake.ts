// Everything between "something arrived" and "reconcile these declared services": decode the
// envelope, sniff the entry text (sniff.ts), normalise the entry, skip what needs no look (cheapest
// checks first), route the rest.
// Pure apart from the counters it is given. Never loads a Google client, and reads `ctx.index` /
// `ctx.ignorePrincipals` only once an entry got that far: while the mesh is unusable they throw,
// and what was decided without them (irrelevant input) is still decided.
import type { MeshIndex } from '../config/mesh-index';
import type { AuditEvent, SkipReason } from './audit-event';
import { isSkip, toAuditEvent } from './decode-audit';
import { unwrapEnvelope } from './envelope';
import type { LogEntry } from './log-entry';
import { MalformedEventError } from './malformed-event-error';
import { parseEntry } from './payload';
import { routeEvent } from './route';
import { sniffSkip } from './sniff';
import type { SkipCounters } from './skip-counters';

export interface IntakeContext {
  index: MeshIndex;
  /** The function's own service account: its repairs must not set off another round. */
  selfPrincipal?: string;
  ignorePrincipals: readonly string[];
  counters: SkipCounters;
}

export type IntakeResult =
  | {
      kind: 'reconcile';
      event: AuditEvent;
      keys: string[];
      /** `operation/phase` of an operation entry: admission.ts acts on each once. */
      operationKey?: string;
    }
  | { kind: 'skip'; reason: SkipReason; detail: string; event?: AuditEvent };

export function intake(input: unknown, ctx: IntakeContext): IntakeResult {
  let entry: LogEntry;
  try {
    const payload = unwrapEnvelope(input);
    if ('text' in payload) {
      const sniffed = sniffSkip(payload.text, () => ctx.index);
      if (sniffed) return skip(ctx, sniffed.skip, sniffed.detail);
    }
    entry = parseEntry(payload);
  } catch (err) {
    if (err instanceof MalformedEventError) return skip(ctx, 'malformed', err.message);
    throw err;
  }
  const decoded = toAuditEvent(entry);
  if (isSkip(decoded)) return skip(ctx, decoded.skip, decoded.detail);
  const event = decoded;
  const what = `${event.methodName} ${describeTarget(event)}`;

  if (event.statusCode !== undefined)
    return skip(ctx, 'failed-call', `${what} failed with code ${event.statusCode}; it changed nothing`, event);
  const op = event.operation;
  // Compute writes a first entry when the operation starts (the resource usually unchanged yet) and
  // a last one when it is done: act on the last. Cloud Run entries are acted on in every phase.
  if (event.api === 'compute' && op && !op.last) {
    return skip(ctx, 'operation-first', `${what}: operation ${op.id} has not finished; acting on its last entry`, event);
  }
  if (event.principal !== undefined) {
    const principal = normalisePrincipal(event.principal);
    if (ctx.selfPrincipal !== undefined && principal === normalisePrincipal(ctx.selfPrincipal)) {
      return skip(ctx, 'own-principal', `${what} was made by this function (${event.principal})`, event);
    }
    if (ctx.ignorePrincipals.some((p) => normalisePrincipal(p) === principal)) {
      return skip(ctx, 'ignored-principal', `${what} was made by ${event.principal}, listed in policy.ignorePrincipals`, event);
    }
  }
  const keys = routeEvent(event, ctx.index);
  if (keys.length === 0) return skip(ctx, 'not-declared', `${what} is not part of any declared service`, event);
  if (op) return { kind: 'reconcile', event, keys, operationKey: `${op.id}/${op.last ? 'last' : op.first ? 'first' : 'progress'}` };
  return { kind: 'reconcile', event, keys };
}

function skip(ctx: IntakeContext, reason: SkipReason, detail: string, event?: AuditEvent): IntakeResult {
  ctx.counters.count(reason);
  return event ? { kind: 'skip', reason, detail, event } : { kind: 'skip', reason, detail };
}

/** IAM member syntax (`serviceAccount:x@y`) and e-mail case do not make another principal. */
function normalisePrincipal(principal: string): string {
  return principal.replace(/^(serviceAccount|user):/, '').toLowerCase();
}

function describeTarget(event: AuditEvent): string {
  const t = event.target;
  return t.kind === 'runService'
    ? `on Cloud Run service ${t.project}/${t.region ?? '*'}/${t.service}`
    : `on ${t.kind} ${t.project}/${t.region}/${t.name}`;
}
