// Pure: the declared service against one read round → the list of drift. References are compared
// with sameRef (URL or partial path alike); a field Compute left out counts as drift.
import { RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../config/mesh';
import type { Observed, ResourceOf } from '../gcp/port';
import { sameRef } from '../gcp/refs';
import { diffClient } from './client-egress';
import { desiredChain } from './desired';
import type { Drift } from './model';
import type { ObservedMesh } from './observe';
import { SERVERLESS_BACKEND_TIMEOUT_SEC } from './serverless-backend';

/** How one field of a kind is compared. */
interface FieldRule<K extends ResourceKind> {
  field: string;
  mutable: boolean;
  /** The values reported in the drift. */
  wanted: (desired: ResourceOf[K], svc: DeclaredService) => unknown;
  found: (observed: Observed<K>) => unknown;
  /** True when the observed value satisfies the declaration. */
  holds: (observed: Observed<K>, desired: ResourceOf[K], svc: DeclaredService) => boolean;
}

type Rules = { [K in ResourceKind]: FieldRule<K>[] };

/** A plain field compared for equality. */
function plain<K extends ResourceKind, F extends keyof ResourceOf[K] & string>(field: F, mutable: boolean): FieldRule<K> {
  return {
    field,
    mutable,
    wanted: (d) => d[field],
    found: (o) => (o as ResourceOf[K])[field],
    holds: (o, d) => (o as ResourceOf[K])[field] === d[field],
  };
}

/** A reference field compared with sameRef. */
function ref<K extends ResourceKind, F extends keyof ResourceOf[K] & string>(field: F, mutable: boolean): FieldRule<K> {
  return {
    ...plain<K, F>(field, mutable),
    holds: (o, d) => sameRef((o as ResourceOf[K])[field] as string | undefined, d[field] as string | undefined),
  };
}

/** "80" and "80-80" are the same single port. */
function samePortRange(found: string | undefined, wanted: string | undefined): boolean {
  if (found === undefined || wanted === undefined) return found === wanted;
  const [low, high = low] = found.split('-');
  return low === wanted && high === wanted;
}

export const FIELD_RULES: Rules = {
  address: [
    { field: 'address', mutable: false, wanted: (d) => d.address, found: (o) => o.address, holds: (o, d) => o.address === d.address },
    ref('subnetwork', false),
  ],
  neg: [
    {
      field: 'cloudRun.service',
      mutable: false,
      wanted: (d) => d.cloudRun?.service,
      found: (o) => o.cloudRun?.service,
      holds: (o, d) => o.cloudRun?.service === d.cloudRun?.service,
    },
  ],
  backendService: [
    {
      field: 'backends',
      mutable: true,
      // Extra backends are tolerated (someone may add a canary); the NEG must be among them.
      wanted: (d) => d.backends?.map((b) => b.group),
      found: (o) => (o.backends ?? []).map((b) => b.group),
      holds: (o, d) => (o.backends ?? []).some((b) => sameRef(b.group, d.backends?.[0]?.group)),
    },
    {
      field: 'timeoutSec',
      mutable: true,
      // Never sent (Google refuses it on serverless backends); anything but its default is reported.
      wanted: () => SERVERLESS_BACKEND_TIMEOUT_SEC,
      found: (o) => o.timeoutSec,
      holds: (o) => o.timeoutSec === undefined || o.timeoutSec === SERVERLESS_BACKEND_TIMEOUT_SEC,
    },
    {
      field: 'logConfig',
      mutable: true,
      wanted: (d) => d.logConfig,
      found: (o) => o.logConfig,
      holds: (o, d) => o.logConfig?.enable === true && o.logConfig.sampleRate === d.logConfig?.sampleRate,
    },
    plain('localityLbPolicy', true),
    plain('sessionAffinity', true),
    plain('loadBalancingScheme', false),
    plain('protocol', false),
  ],
  urlMap: [ref('defaultService', true)],
  targetProxy: [ref('urlMap', true)],
  forwardingRule: [
    ref('target', true),
    {
      field: 'IPAddress',
      mutable: false,
      // Compute stores the literal IP the address resolved to; a URL is accepted too.
      wanted: (_d, svc) => svc.loadBalancer.ipAddress,
      found: (o) => o.IPAddress,
      holds: (o, d, svc) => o.IPAddress === svc.loadBalancer.ipAddress || sameRef(o.IPAddress, d.IPAddress),
    },
    {
      field: 'portRange',
      mutable: false,
      wanted: (d) => d.portRange,
      found: (o) => o.portRange,
      holds: (o, d) => samePortRange(o.portRange, d.portRange),
    },
    plain('IPProtocol', false),
    plain('loadBalancingScheme', false),
    ref('network', false),
    ref('subnetwork', false),
  ],
};

/** Drift of one existing resource against its declared body. */
export function diffResource<K extends ResourceKind>(svc: DeclaredService, kind: K, observed: Observed<K>): Drift[] {
  const desired = desiredChain(svc)[kind];
  const name = svc.loadBalancer.names[kind];
  const rules = FIELD_RULES[kind] as FieldRule<K>[];
  return rules
    .filter((rule) => !rule.holds(observed, desired, svc))
    .map((rule) => ({
      type: rule.mutable ? 'mutable' : 'immutable',
      kind,
      name,
      field: rule.field,
      wanted: rule.wanted(desired, svc),
      found: rule.found(observed),
    }));
}

/** Everything that differs between the declaration and what was read. Empty = in sync. */
export function diff(svc: DeclaredService, observed: ObservedMesh): Drift[] {
  const drift: Drift[] = [];
  if (observed.service === null) drift.push({ type: 'service-missing', service: svc.service });
  else if (observed.service.ingress !== svc.ingress) {
    drift.push({ type: 'ingress', wanted: svc.ingress, found: observed.service.ingress });
  }
  for (const kind of RESOURCE_KINDS) {
    const resource = observed.resources[kind];
    if (resource === null) drift.push({ type: 'missing', kind, name: svc.loadBalancer.names[kind] });
    else drift.push(...diffResource(svc, kind, resource));
  }
  svc.clients.forEach((client, i) => drift.push(...diffClient(client, observed.clients[i] ?? null)));
  return drift;
}
