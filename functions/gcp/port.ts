// The one port between the reconciler and Google Cloud. The reconciler speaks only these plain
// types; adapter.ts implements them over @google-cloud/run and @google-cloud/compute, and tests
// implement them with recording fakes. Every mutation returns only once Google reports it done
// (compute operations awaited, Cloud Run LRO resolved), and every failure is a GcpError.
import type { DeclaredVpcAccess, ResourceKind, VpcEgress } from '../config/mesh';

/** Observed Cloud Run ingress, normalised from v2 enums (ints or strings). */
export type ObservedIngress = 'all' | 'internal' | 'internal-and-cloud-load-balancing' | 'none' | 'unspecified';

export interface ServiceRef {
  project: string;
  region: string;
  service: string;
}

export interface RunService {
  /** projects/P/locations/R/services/S */
  name: string;
  ingress: ObservedIngress;
  etag: string;
  annotations: Record<string, string>;
  latestCreatedRevision?: string;
  /** The revision template's VPC access; absent when the service has none. */
  vpcAccess?: ObservedVpcAccess;
}

/**
 * template.vpcAccess as read, in the mesh's words. An unset egress reads as private-ranges-only,
 * Cloud Run's default (docs/google-behaviour.md). References are kept as Cloud Run returned them.
 */
export interface ObservedVpcAccess {
  connector?: string;
  egress: VpcEgress;
  /** Direct VPC egress; Cloud Run supports one interface today. */
  networkInterfaces: Array<{ network?: string; subnetwork?: string }>;
}

/**
 * Names per filtered list call: `list` with more names makes more calls. 100 names of up to 63
 * characters keep the request line under 8 KB.
 */
export const LIST_FILTER_NAMES = 100;

/** One project-region: the scope of a list and of a sweep shard. */
export interface RegionRef {
  project: string;
  region: string;
}

export interface ResourceRef {
  project: string;
  region: string;
  name: string;
}

// Compute resources in their REST JSON field names, reduced to what the reconciler reads.
// References (subnetwork, group, defaultService, urlMap, target, ...) are URLs as Compute
// returns them; compare them with refs.ts, never as raw strings.
export interface AddressResource {
  name: string;
  address?: string;
  addressType?: string;
  subnetwork?: string;
  purpose?: string;
}

export interface NegResource {
  name: string;
  networkEndpointType?: string;
  cloudRun?: { service?: string; tag?: string; urlMask?: string };
}

export interface Backend {
  group?: string;
  balancingMode?: string;
  capacityScaler?: number;
}

export interface BackendServiceResource {
  name: string;
  protocol?: string;
  loadBalancingScheme?: string;
  backends?: Backend[];
  logConfig?: { enable?: boolean; sampleRate?: number };
  localityLbPolicy?: string;
  sessionAffinity?: string;
  timeoutSec?: number;
  fingerprint?: string;
}

export interface UrlMapResource {
  name: string;
  defaultService?: string;
  /** Routing beyond the default service (import refuses such maps; the mesh declares none). */
  hostRules?: Array<{ hosts?: string[]; pathMatcher?: string }>;
  pathMatchers?: Array<{ name?: string; defaultService?: string }>;
  fingerprint?: string;
}

export interface TargetProxyResource {
  name: string;
  urlMap?: string;
  fingerprint?: string;
}

export interface ForwardingRuleResource {
  name: string;
  IPAddress?: string;
  IPProtocol?: string;
  portRange?: string;
  loadBalancingScheme?: string;
  network?: string;
  subnetwork?: string;
  target?: string;
  fingerprint?: string;
}

export interface ResourceOf {
  address: AddressResource;
  neg: NegResource;
  backendService: BackendServiceResource;
  urlMap: UrlMapResource;
  targetProxy: TargetProxyResource;
  forwardingRule: ForwardingRuleResource;
}

/** Observed form of each resource: what Compute returned, plus its selfLink. */
export type Observed<K extends ResourceKind> = ResourceOf[K] & { selfLink: string };

/** The in-place changes each kind supports; `fingerprint` is the one read before the change. */
export type Mutation =
  | { kind: 'backendService'; method: 'patch'; ref: ResourceRef; fingerprint: string; fields: Partial<BackendServiceResource> }
  | { kind: 'urlMap'; method: 'patch'; ref: ResourceRef; fingerprint: string; fields: Partial<UrlMapResource> }
  | { kind: 'targetProxy'; method: 'setUrlMap'; ref: ResourceRef; urlMap: string }
  | { kind: 'forwardingRule'; method: 'setTarget'; ref: ResourceRef; target: string };

export interface MeshPort {
  /** null when the service does not exist (404). */
  getService(ref: ServiceRef): Promise<RunService | null>;
  /** updateMask=ingress with the etag read before; resolves with the service after the LRO. */
  setIngress(ref: ServiceRef, ingress: 'internal' | 'internal-and-cloud-load-balancing', etag: string): Promise<RunService>;
  /**
   * Replaces template.vpcAccess only (updateMask=template.vpcAccess) with the etag read before;
   * Cloud Run deploys a new revision. Resolves with the service after the LRO.
   */
  setVpcAccess(ref: ServiceRef, vpcAccess: DeclaredVpcAccess, etag: string): Promise<RunService>;

  /**
   * Every Cloud Run service of the location, all pages (Cloud Run lists per location).
   * A snapshot: callers decide nothing from it without a fresh read (reconcile/observe.ts).
   */
  listServices(scope: RegionRef): Promise<RunService[]>;
  /**
   * Every resource of `kind` in the region, all pages of up to 500; with `names`, only those
   * (one filtered list). A snapshot, like listServices.
   */
  list<K extends ResourceKind>(kind: K, scope: RegionRef, names?: readonly string[]): Promise<Array<Observed<K>>>;

  /** null when the resource does not exist (404). */
  get<K extends ResourceKind>(kind: K, ref: ResourceRef): Promise<Observed<K> | null>;
  /** Inserts with the given requestId (so a retry is idempotent) and waits for the operation. */
  insert<K extends ResourceKind>(kind: K, ref: ResourceRef, resource: ResourceOf[K], requestId: string): Promise<void>;
  /** Applies an in-place change and waits for the operation. */
  mutate(mutation: Mutation): Promise<void>;
  /** Deletes and waits for the operation (only used when recreateOnImmutableDrift is set). */
  delete(kind: ResourceKind, ref: ResourceRef, requestId: string): Promise<void>;
}

/** How the reconciler must treat a failure; classify.ts maps gax/HTTP errors onto this. */
export type GcpErrorClass =
  | 'notFound'
  | 'alreadyExists'
  /** stale fingerprint or etag: re-read, then retry once */
  | 'conflict'
  /** 429/503/504, codes 4, 8, 13, 14: back off and retry, bounded */
  | 'transient'
  /** permission denied, invalid argument, org policy, failed precondition ...: stop this branch */
  | 'permanent';

export class GcpError extends Error {
  override readonly name = 'GcpError';
  constructor(
    readonly errorClass: GcpErrorClass,
    message: string,
    /** gRPC code when known */
    readonly code?: number,
    readonly httpStatus?: number,
    /** Google's error reason, e.g. alreadyExists, conditionNotMet, resourceInUseByAnotherResource */
    readonly reason?: string,
  ) {
    super(message);
  }
}
