// The declared service turned into the body each of the six chain resources should have, in
// Compute REST field names (what `insert` takes and what `get` returns). References are full URLs
// built from names, so a dependent can be created in the same plan as what it points at.
import { RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../config/mesh';
import type { ResourceOf, ResourceRef, ServiceRef } from '../gcp/port';
import { regionalUrl, toUrl } from '../gcp/refs';

/** Where the Cloud Run service of `svc` lives. */
export function serviceRefOf(svc: DeclaredService): ServiceRef {
  return { project: svc.project, region: svc.region, service: svc.service };
}

/** Where a chain resource of `svc` lives. */
export function refOf(svc: DeclaredService, kind: ResourceKind): ResourceRef {
  return { project: svc.project, region: svc.region, name: svc.loadBalancer.names[kind] };
}

/** The full Compute URL other resources use to point at a chain resource of `svc`. */
export function urlOf(svc: DeclaredService, kind: ResourceKind): string {
  return regionalUrl(kind, refOf(svc, kind));
}

/** The `backends[]` entry that attaches the service's NEG to its backend service. */
export function negBackend(svc: DeclaredService): { group: string; balancingMode: string; capacityScaler: number } {
  return { group: urlOf(svc, 'neg'), balancingMode: 'UTILIZATION', capacityScaler: 1 };
}

/** Every resource of the chain as declared (deploy/examples/blog's Terraform, expressed as Compute bodies). */
export function desiredChain(svc: DeclaredService): ResourceOf {
  const lb = svc.loadBalancer;
  const names = lb.names;
  return {
    address: {
      name: names.address,
      addressType: 'INTERNAL',
      address: lb.ipAddress,
      subnetwork: toUrl(lb.subnetwork),
      purpose: 'SHARED_LOADBALANCER_VIP',
    },
    neg: { name: names.neg, networkEndpointType: 'SERVERLESS', cloudRun: { service: svc.service } },
    backendService: {
      name: names.backendService,
      protocol: 'HTTP',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [negBackend(svc)],
      logConfig: { enable: true, sampleRate: lb.backend.logSampleRate },
      localityLbPolicy: lb.backend.localityLbPolicy,
      sessionAffinity: lb.backend.sessionAffinity,
      // No timeoutSec, healthChecks or maxUtilization: Google refuses them on serverless NEG backends (serverless-backend.ts).
    },
    urlMap: { name: names.urlMap, defaultService: urlOf(svc, 'backendService') },
    targetProxy: { name: names.targetProxy, urlMap: urlOf(svc, 'urlMap') },
    forwardingRule: {
      name: names.forwardingRule,
      // Compute resolves the address URL and stores the literal IP; diff compares with the IP.
      IPAddress: urlOf(svc, 'address'),
      IPProtocol: 'TCP',
      portRange: String(lb.port),
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: toUrl(lb.network),
      subnetwork: toUrl(lb.subnetwork),
      target: urlOf(svc, 'targetProxy'),
    },
  };
}

/** What each kind points at (Compute refuses a reference to a missing resource). */
export const DEPENDS_ON: Record<ResourceKind, readonly ResourceKind[]> = {
  address: [],
  neg: [],
  backendService: ['neg'],
  urlMap: ['backendService'],
  targetProxy: ['urlMap'],
  forwardingRule: ['targetProxy', 'address'],
};

/** Dependency level of each kind: address ∥ NEG → backend → URL map → proxy → forwarding rule. */
export const DEPTH: Record<ResourceKind, number> = Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, depthOf(kind)])) as Record<
  ResourceKind,
  number
>;

function depthOf(kind: ResourceKind): number {
  return Math.max(-1, ...DEPENDS_ON[kind].map(depthOf)) + 1;
}

/** Kinds that point at `kind`, directly. */
export function dependentsOf(kind: ResourceKind): ResourceKind[] {
  return RESOURCE_KINDS.filter((other) => DEPENDS_ON[other].includes(kind));
}

/** `kind` and everything that points at it, transitively. */
export function dependentClosure(kind: ResourceKind): Set<ResourceKind> {
  const out = new Set<ResourceKind>([kind]);
  for (const dep of dependentsOf(kind)) for (const k of dependentClosure(dep)) out.add(k);
  return out;
}

/** `kind` and everything it points at, transitively. */
export function dependencyClosure(kind: ResourceKind): Set<ResourceKind> {
  const out = new Set<ResourceKind>([kind]);
  for (const dep of DEPENDS_ON[kind]) for (const k of dependencyClosure(dep)) out.add(k);
  return out;
}
