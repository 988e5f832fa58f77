// Pure: declaration + one read round + policy → a Plan, the steps that undo the drift in
// dependency levels (Terraform's plan). Apply only executes it; people and tests read it.
import { assertNever } from '../assert-never';
import { RESOURCE_KINDS, type DeclaredService, type Policy, type ResourceKind } from '../config/mesh';
import type { BackendServiceResource, Mutation, Observed } from '../gcp/port';
import { sameRef } from '../gcp/refs';
import { DEPTH, dependentsOf, desiredChain, negBackend, refOf, urlOf } from './desired';
import { diff, diffResource } from './diff';
import type { Drift, Plan, Step } from './model';
import type { ObservedMesh } from './observe';
import { isRefusedOnServerless, SERVERLESS_REFUSED_REASON } from './serverless-backend';

export const IMMUTABLE_REASON = 'immutable field; not repaired: set policy.recreateOnImmutableDrift to delete and recreate';
export const SERVICE_MISSING_REASON =
  'the Cloud Run service does not exist: mesh-remediator never creates services, and builds no load balancer for a service that is not there';
export const CLIENT_MISSING_REASON = 'the client Cloud Run service does not exist; mesh-remediator never creates services';
export const CLIENT_EGRESS_REPORT_ONLY_REASON =
  'client VPC egress is report-only: repairing it deploys a new revision of the client; set policy.repairClientEgress to allow it';

const MAX_DEPTH = Math.max(...Object.values(DEPTH));

export function planRepair(
  svc: DeclaredService,
  observed: ObservedMesh,
  policy: Pick<Policy, 'recreateOnImmutableDrift'> & Partial<Pick<Policy, 'repairClientEgress'>>,
  dryRun: boolean,
): Plan {
  const drift = diff(svc, observed);
  const base = {
    serviceKey: svc.key,
    project: svc.project,
    region: svc.region,
    service: svc.service,
    names: { ...svc.loadBalancer.names },
    dryRun,
    drift,
  };
  // No service, nothing to front: building the chain would reserve an address and write six
  // resources for nothing. Report it and wait until the service exists.
  if (observed.service === null)
    return { ...base, levels: [], unrepaired: drift.map((d) => ({ drift: d, reason: SERVICE_MISSING_REASON })) };
  const unrepaired: Plan['unrepaired'] = [];
  const driftOf = (kind: ResourceKind, type: Drift['type']) => drift.filter((d) => d.type === type && 'kind' in d && d.kind === kind);

  const immutable = RESOURCE_KINDS.filter((kind) => driftOf(kind, 'immutable').length > 0);
  const recreated = policy.recreateOnImmutableDrift ? withReferencingDependents(immutable, observed) : new Set<ResourceKind>();
  if (!policy.recreateOnImmutableDrift) {
    for (const d of drift) if (d.type === 'immutable') unrepaired.push({ drift: d, reason: IMMUTABLE_REASON });
  }
  for (const d of drift) if (isRefusedOnServerless(d)) unrepaired.push({ drift: d, reason: SERVERLESS_REFUSED_REASON });

  // Deletes run first, dependents before what they point at; then everything goes forward.
  const deleteLevels: Step[][] = Array.from({ length: MAX_DEPTH + 1 }, () => []);
  const forwardLevels: Step[][] = Array.from({ length: MAX_DEPTH + 1 }, () => []);
  for (const kind of RESOURCE_KINDS) {
    const name = svc.loadBalancer.names[kind];
    const current = observed.resources[kind];
    if (recreated.has(kind)) deleteLevels[MAX_DEPTH - DEPTH[kind]]!.push({ action: 'delete', kind, name });
    if (current === null || recreated.has(kind)) {
      forwardLevels[DEPTH[kind]]!.push({ action: 'create', kind, name, resource: desiredChain(svc)[kind] });
    } else if (driftOf(kind, 'mutable').length > 0) {
      const mutation = mutationFor(svc, kind, current);
      if (mutation) forwardLevels[DEPTH[kind]]!.push({ action: 'mutate', kind, name, mutation });
    }
  }

  for (const d of drift) {
    if (d.type === 'ingress') {
      forwardLevels[0]!.unshift({ action: 'setIngress', service: svc.service, ingress: svc.ingress, etag: observed.service.etag });
    }
    if (d.type === 'client-missing') unrepaired.push({ drift: d, reason: CLIENT_MISSING_REASON });
    if (d.type === 'client-egress') {
      const index = svc.clients.findIndex((c) => c.key === d.client);
      const current = observed.clients[index];
      if (!policy.repairClientEgress || !current) unrepaired.push({ drift: d, reason: CLIENT_EGRESS_REPORT_ONLY_REASON });
      else
        forwardLevels[0]!.push({ action: 'setVpcAccess', client: d.client, service: d.service, vpcAccess: d.wanted, etag: current.etag });
    }
  }

  return { ...base, levels: [...deleteLevels, ...forwardLevels].filter((level) => level.length > 0), unrepaired };
}

/** True when the plan has something to write. */
export function hasSteps(plan: Plan): boolean {
  return plan.levels.some((level) => level.length > 0);
}

/**
 * The in-place change that brings an existing resource back to its declared mutable fields,
 * built from what was just read (its fingerprint, its other backends); null when none is needed.
 * Apply calls this again with a fresh read after a stale-fingerprint conflict.
 */
export function mutationFor<K extends ResourceKind>(svc: DeclaredService, kind: K, current: Observed<K>): Mutation | null {
  const writable = diffResource(svc, kind, current).filter((d) => !isRefusedOnServerless(d));
  const drifting = new Set(writable.filter((d) => d.type === 'mutable').map((d) => d.field));
  if (drifting.size === 0) return null;
  const ref = refOf(svc, kind);
  const desired = desiredChain(svc);
  // Switched over as the plain union: a generic K does not narrow to never.
  const which: ResourceKind = kind;
  switch (which) {
    case 'backendService': {
      const observed = current as Observed<'backendService'>;
      const want = desired.backendService;
      const fields: Partial<BackendServiceResource> = {};
      // Keep every backend someone else attached; add ours.
      if (drifting.has('backends')) fields.backends = [...(observed.backends ?? []), negBackend(svc)];
      if (drifting.has('logConfig')) fields.logConfig = want.logConfig;
      if (drifting.has('localityLbPolicy')) fields.localityLbPolicy = want.localityLbPolicy;
      if (drifting.has('sessionAffinity')) fields.sessionAffinity = want.sessionAffinity;
      return { kind: 'backendService', method: 'patch', ref, fingerprint: observed.fingerprint ?? '', fields };
    }
    case 'urlMap': {
      const fingerprint = (current as Observed<'urlMap'>).fingerprint ?? '';
      return { kind: 'urlMap', method: 'patch', ref, fingerprint, fields: { defaultService: desired.urlMap.defaultService } };
    }
    case 'targetProxy':
      return { kind: 'targetProxy', method: 'setUrlMap', ref, urlMap: urlOf(svc, 'urlMap') };
    case 'forwardingRule':
      return { kind: 'forwardingRule', method: 'setTarget', ref, target: urlOf(svc, 'targetProxy') };
    case 'address':
    case 'neg':
      // No mutable fields in the declaration: any difference is immutable (delete and recreate).
      return null;
    default:
      return assertNever(which);
  }
}

/**
 * Kinds to delete and recreate: those with immutable drift, plus every existing dependent that
 * still points at one of them (Compute refuses to delete a referenced resource), transitively.
 */
function withReferencingDependents(kinds: ResourceKind[], observed: ObservedMesh): Set<ResourceKind> {
  const out = new Set<ResourceKind>();
  const visit = (kind: ResourceKind): void => {
    if (out.has(kind) || observed.resources[kind] === null) return;
    out.add(kind);
    for (const dependent of dependentsOf(kind)) {
      if (pointsAt(observed, dependent, kind)) visit(dependent);
    }
  };
  kinds.forEach(visit);
  return out;
}

/** Whether the observed `from` references the observed `to`. */
function pointsAt(observed: ObservedMesh, from: ResourceKind, to: ResourceKind): boolean {
  const r = observed.resources;
  const target = r[to];
  if (r[from] === null || target === null) return false;
  const link = target.selfLink;
  switch (from) {
    case 'backendService':
      return (r.backendService?.backends ?? []).some((b) => sameRef(b.group, link));
    case 'urlMap':
      return sameRef(r.urlMap?.defaultService, link);
    case 'targetProxy':
      return sameRef(r.targetProxy?.urlMap, link);
    case 'forwardingRule': {
      const rule = r.forwardingRule;
      if (to === 'targetProxy') return sameRef(rule?.target, link);
      // The rule holds the literal IP of the address it uses (or, defensively, its URL).
      return rule?.IPAddress === r.address?.address || sameRef(rule?.IPAddress, link);
    }
    case 'address':
    case 'neg':
      // Leaves of the chain: they reference no other chain resource.
      return false;
    default:
      return assertNever(from);
  }
}
