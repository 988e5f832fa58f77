// The declared private mesh: what mesh-remediator keeps true. Plain data, resolved from mesh.yaml
// (see load.ts) with every default applied and every resource name derived, so the rest of the
// code never has to think about optional fields or naming rules.

/** Ingress values a declared service may ask for (README, Declaring the mesh). */
export type DeclaredIngress = 'internal' | 'internal-and-cloud-load-balancing';

/** The six chain resources in dependency order (address ∥ NEG → backend → URL map → proxy → rule). */
export const RESOURCE_KINDS = ['address', 'neg', 'backendService', 'urlMap', 'targetProxy', 'forwardingRule'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Compute REST collection of each kind, as it appears in resource names and audit-log methods. */
export const COLLECTION: Record<ResourceKind, string> = {
  address: 'addresses',
  neg: 'networkEndpointGroups',
  backendService: 'backendServices',
  urlMap: 'urlMaps',
  targetProxy: 'targetHttpProxies',
  forwardingRule: 'forwardingRules',
};

/** Suffix appended to `namePrefix` for each kind (deploy/examples/blog's Terraform naming). */
export const NAME_SUFFIX: Record<ResourceKind, string> = {
  address: 'ip',
  neg: 'neg',
  backendService: 'backend-svc',
  urlMap: 'url-map',
  targetProxy: 'target-proxy',
  forwardingRule: 'frontend',
};

export type ResourceNames = Record<ResourceKind, string>;

/** What the backend service may be told; no timeout: Google refuses one on serverless NEG backends. */
export interface BackendSettings {
  logSampleRate: number;
  localityLbPolicy: string;
  sessionAffinity: string;
}

export interface DeclaredLoadBalancer {
  namePrefix: string;
  /** Partial resource paths as written in the config, e.g. projects/p/global/networks/n. */
  network: string;
  subnetwork: string;
  ipAddress: string;
  port: number;
  backend: BackendSettings;
  /** Every name resolved: override if given, else `<namePrefix>-<suffix>`. */
  names: ResourceNames;
}

/** Cloud Run's VPC egress setting, in the v1 annotation's words (`run.googleapis.com/vpc-access-egress`). */
export type VpcEgress = 'all-traffic' | 'private-ranges-only';
export const VPC_EGRESS: readonly VpcEgress[] = ['all-traffic', 'private-ranges-only'];

/**
 * How a client reaches the VPC: Direct VPC egress (network and/or subnetwork) or a Serverless
 * VPC Access connector, never both. References as written (a name or a `projects/...` path).
 */
export interface DeclaredVpcAccess {
  network?: string;
  subnetwork?: string;
  connector?: string;
  egress: VpcEgress;
}

/** A Cloud Run service that must reach the declared service through the VPC. */
export interface DeclaredClient {
  /** `project/region/service`, as serviceKey builds it. */
  key: string;
  project: string;
  region: string;
  service: string;
  vpcAccess: DeclaredVpcAccess;
}

export interface DeclaredService {
  /** Stable key `project/region/service`, used for routing, single-flight, breaker and logs. */
  key: string;
  project: string;
  region: string;
  service: string;
  ingress: DeclaredIngress;
  loadBalancer: DeclaredLoadBalancer;
  /** Callers whose VPC egress is guarded with the service (empty when none is declared). */
  clients: DeclaredClient[];
}

export interface BreakerPolicy {
  /** More than this many repairs of one service inside the window trips the breaker. */
  maxRepairs: number;
  windowSec: number;
}

export interface Policy {
  dryRun: boolean;
  recreateOnImmutableDrift: boolean;
  /** Principals whose changes are ignored, besides the function's own identity. */
  ignorePrincipals: string[];
  breaker: BreakerPolicy;
  /** Repair a client's drifted VPC access (a new revision of the client); else report it only. */
  repairClientEgress: boolean;
}

export interface Mesh {
  services: DeclaredService[];
  policy: Policy;
}

export const DEFAULT_BACKEND: BackendSettings = {
  logSampleRate: 1.0,
  localityLbPolicy: 'ROUND_ROBIN',
  sessionAffinity: 'NONE',
};

export const DEFAULT_POLICY: Policy = {
  dryRun: false,
  recreateOnImmutableDrift: false,
  ignorePrincipals: [],
  breaker: { maxRepairs: 3, windowSec: 600 },
  repairClientEgress: false,
};

export function serviceKey(project: string, region: string, service: string): string {
  return `${project}/${region}/${service}`;
}
