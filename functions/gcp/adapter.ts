// MeshPort over the real @google-cloud/run (v2 ServicesClient) and @google-cloud/compute clients.
// Clients come from clients.ts, created on the first call that needs them; importing this file
// loads no Google module. Every failure leaves as a GcpError (classify.ts) naming the adapter
// call (the key of PERMISSIONS_BY_CALL) and the resource.
import { randomUUID } from 'node:crypto';
import type { protos as RunProtos } from '@google-cloud/run';
import type { protos as ComputeProtos } from '@google-cloud/compute';
import type { Environment } from '../config/environment';
import type { ResourceKind } from '../config/mesh';
import { assertNever } from '../assert-never';
import { endpointName } from '../deadline';
import { classify as classifyAt, operationError, type CallSite } from './classify';
import { CALL_OPTIONS, Clients, DEFAULT_SELF_PRINCIPAL, WAIT_OPTIONS, type ComputeClients } from './clients';
import { InFlightCalls, type InFlightCall } from './in-flight';
import { kindCall, type AdapterCall } from './permissions';
import { isRateRefusal, OPEN_GATE, type GoogleRequest, type QuotaGroup, type RequestGate } from './request-gate';
import {
  GcpError,
  LIST_FILTER_NAMES,
  type MeshPort,
  type Mutation,
  type Observed,
  type ResourceOf,
  type RegionRef,
  type ResourceRef,
  type RunService,
  type ServiceRef,
} from './port';
import { observedIngress, V2_INGRESS_NAME } from './ingress';
import { observedVpcAccess, v2VpcAccess, type V2VpcAccess } from './vpc-access';
import { regionalPath, regionalUrl } from './refs';

/** The chain resource a compute call is about. */
type Target = { kind: ResourceKind; ref: ResourceRef };
type ComputeOperation = ComputeProtos.google.cloud.compute.v1.IOperation;
type RunServiceMessage = RunProtos.google.cloud.run.v2.IService;

export interface GcpPortOptions {
  /** Emulator endpoints (none = Google's APIs with Application Default Credentials). */
  environment?: Pick<Environment, 'cloudRunEmulator' | 'computeEmulator'>;
  /** The function's own principal; the emulator sees it in the bearer token. */
  selfPrincipal?: string;
  /** How long to keep calling RegionOperations.wait before giving up (default 10 min). */
  operationTimeoutMs?: number;
  /** What each request waits for before it is sent (quotas, a per-second cap); none: sent at once. */
  gate?: RequestGate;
}

/** A MeshPort that also exposes which clients it created and how to close them (tests, CLI). */
export interface GcpPort extends MeshPort {
  /**
   * Loads every client before the first request. A rate-limited sweep needs this: the first
   * call's synchronous module load blocks the event loop, so requests granted before it would
   * leave together afterwards with the next window's, over the cap.
   */
  warm(): Promise<void>;
  /**
   * The regions of the project holding a regional forwarding rule with this load balancing scheme
   * (Compute forwardingRules.aggregatedList, all pages), sorted. Fails whole if a region cannot be
   * read (no partial success): a region left out silently would drop its chains from an import.
   */
  forwardingRuleRegions(project: string, loadBalancingScheme: string): Promise<string[]>;
  /** The calls sent and not yet answered, oldest first (the CLI says what it waits for). */
  inFlight(): InFlightCall[];
  clientNames(): string[];
  close(): Promise<void>;
}

/** Request field names of each kind in the compute clients (get/insert/delete requests). */
const REQUEST_FIELD: Record<ResourceKind, { name: string; resource: string }> = {
  address: { name: 'address', resource: 'addressResource' },
  neg: { name: 'networkEndpointGroup', resource: 'networkEndpointGroupResource' },
  backendService: { name: 'backendService', resource: 'backendServiceResource' },
  urlMap: { name: 'urlMap', resource: 'urlMapResource' },
  targetProxy: { name: 'targetHttpProxy', resource: 'targetHttpProxyResource' },
  forwardingRule: { name: 'forwardingRule', resource: 'forwardingRuleResource' },
};

/** The fields the port exposes per kind (port.ts ResourceOf), besides selfLink. */
const OBSERVED_FIELDS: { [K in ResourceKind]: ReadonlyArray<keyof ResourceOf[K]> } = {
  address: ['name', 'address', 'addressType', 'subnetwork', 'purpose'],
  neg: ['name', 'networkEndpointType', 'cloudRun'],
  backendService: [
    'name',
    'protocol',
    'loadBalancingScheme',
    'backends',
    'logConfig',
    'localityLbPolicy',
    'sessionAffinity',
    'timeoutSec',
    'fingerprint',
  ],
  urlMap: ['name', 'defaultService', 'hostRules', 'pathMatchers', 'fingerprint'],
  targetProxy: ['name', 'urlMap', 'fingerprint'],
  forwardingRule: ['name', 'IPAddress', 'IPProtocol', 'portRange', 'loadBalancingScheme', 'network', 'subnetwork', 'target', 'fingerprint'],
};

/**
 * Partial responses for lists, Compute's and Cloud Run's (docs/google-behaviour.md): only the
 * fields the port reads, and the page token. A sweep's lists carry every resource of a region, and
 * the REST client's decoding of the fields nobody reads was most of its CPU (README, Performance,
 * figure 7b).
 */
const FIELD_MASK_HEADER = 'x-goog-fieldmask';
/** A list page's selection: these fields of each item in `collection`, and the page token. */
const pageMask = (collection: string, fields: readonly string[]) => `${collection}(${fields.join(',')}),nextPageToken`;
const LIST_FIELDS = Object.fromEntries(
  Object.entries(OBSERVED_FIELDS).map(([kind, fields]) => [kind, pageMask('items', [...fields, 'selfLink'])]),
) as Record<ResourceKind, string>;
/** The Cloud Run service fields toRunService reads (of the template, only its VPC access). */
const RUN_SERVICE_FIELDS = ['name', 'ingress', 'etag', 'annotations', 'latestCreatedRevision', 'template(vpcAccess)'];
export const SERVICE_LIST_FIELDS = pageMask('services', RUN_SERVICE_FIELDS);

export function createGcpPort(options: GcpPortOptions = {}): GcpPort {
  const selfPrincipal = options.selfPrincipal ?? DEFAULT_SELF_PRINCIPAL;
  const operationTimeoutMs = options.operationTimeoutMs ?? 10 * 60_000;
  const gate = options.gate ?? OPEN_GATE;
  const clients = new Clients(options.environment ?? {}, selfPrincipal);

  const runApi = { api: 'Cloud Run', emulator: options.environment?.cloudRunEmulator, googleHost: 'run.googleapis.com' } as const;
  const computeApi = { api: 'Compute', emulator: options.environment?.computeEmulator, googleHost: 'compute.googleapis.com' } as const;
  const apiOf = (site: CallSite) => (isRunCall(site.call) ? runApi : computeApi);
  /** A GcpError about `site`, naming the endpoint it went to. */
  const classify = (err: unknown, site: CallSite) => {
    const { emulator, googleHost } = apiOf(site);
    return classifyAt(err, { ...site, endpoint: endpointName(emulator, googleHost) });
  };

  const inFlight = new InFlightCalls();
  /**
   * Sends one request (one HTTP request: a page, a GET, a write, an operation wait or poll) once
   * the gate admits it, listed as in flight until it is answered; whatever it throws leaves as a
   * GcpError about `site`, and a refusal for rate is told to the gate. The client is loaded
   * before the gate is asked: loading a Google module is this process's time, not a request.
   */
  async function call<T>(
    site: Site,
    request: () => Promise<T>,
    options: { target?: InFlightCall['target']; group?: QuotaGroup } = {},
  ): Promise<T> {
    const { api, emulator, googleHost } = apiOf(site);
    const counted: GoogleRequest = { group: options.group ?? quotaGroupOf(site.call), project: site.project, region: site.region };
    let answered: (() => void) | undefined;
    try {
      await (api === 'Cloud Run' ? clients.run() : clients.compute(computeClientOf(site.call)));
      answered = await gate.admit(counted);
      const where = emulator ? { endpoint: `${emulator.host}:${emulator.port}`, variable: emulator.variable } : { endpoint: googleHost };
      const { target } = options;
      return await inFlight.track({ api, call: site.call, resource: site.resource, ...where, ...(target ? { target } : {}) }, request);
    } catch (err) {
      const error = classify(err, site);
      if (isRateRefusal(error)) gate.refused(counted);
      throw error;
    } finally {
      answered?.();
    }
  }

  /** Loops RegionOperations.wait until DONE (each wait answers within ~2 min), then checks errors. */
  async function awaitOperation(target: Target, started: ComputeOperation | undefined, site: Site): Promise<void> {
    const { ref } = target;
    let operation = started;
    const deadline = Date.now() + operationTimeoutMs;
    while (operation?.status !== 'DONE') {
      const name = operation?.name;
      if (!name) throw new GcpError('permanent', `${site.call} ${site.resource}: Compute returned no operation name`);
      if (Date.now() > deadline) {
        throw new GcpError(
          'transient',
          `${site.call} ${site.resource}: operation ${name} still ${String(operation?.status)} after ${operationTimeoutMs} ms`,
        );
      }
      const waitSite = siteOf('wait:operation', `projects/${ref.project}/regions/${ref.region}/operations/${name}`, ref);
      [operation] = await call(
        waitSite,
        () =>
          clients
            .compute('operations')
            .then((ops) => ops.wait({ project: ref.project, region: ref.region, operation: name }, WAIT_OPTIONS)),
        { target },
      );
    }
    const failed = operationError(operation, site);
    if (failed) throw failed;
  }

  /** A compute write: the call returns an operation (no working .promise()), which is awaited. */
  async function computeWrite(site: Site, target: Target, write: () => Promise<[unknown, ...unknown[]]>): Promise<void> {
    const [started] = await call(site, write, { target });
    // Typed LROperation in the .d.ts, but compute clients resolve `{latestResponse: Operation}`.
    await awaitOperation(target, (started as { latestResponse?: ComputeOperation }).latestResponse, site);
  }

  /**
   * A Cloud Run update: UpdateService, then its operation polled until done (GET …/operations/…,
   * each a Cloud Run read), 100 ms apart growing ×1.3 up to 5 s, within the operation timeout.
   * Polled here rather than by gax's operation.promise() so that each poll is a request the gate
   * admits; a timeout is transient.
   */
  async function updateService(site: Site, request: RunProtos.google.cloud.run.v2.IUpdateServiceRequest): Promise<RunService> {
    const [operation] = await call(site, async () => (await clients.run()).updateService(request, CALL_OPTIONS));
    const deadline = Date.now() + operationTimeoutMs;
    let delayMs = 100;
    while (!operation.latestResponse.done) {
      if (Date.now() > deadline) {
        throw new GcpError(
          'transient',
          `${site.call} ${site.resource}: operation ${operation.name} not done after ${operationTimeoutMs} ms`,
        );
      }
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 1.3, 5_000);
      await call(site, () => operation.getOperation(), { group: 'run.read' });
    }
    try {
      // Done: gax unpacks the last answer without another request.
      const [service] = await operation.promise();
      return toRunService(service, site.resource);
    } catch (err) {
      throw classify(err, site);
    }
  }

  // The per-kind compute clients differ only in request field names, so they are driven
  // through one structural shape; REQUEST_FIELD supplies the names.
  async function resourceClient(kind: ResourceKind): Promise<ResourceClient> {
    return (await clients.compute(kind)) as unknown as ResourceClient;
  }

  function resourceSite(call: AdapterCall, kind: ResourceKind, ref: ResourceRef): Site {
    return siteOf(call, regionalPath(kind, ref), ref);
  }

  return {
    async getService(ref) {
      const name = servicePath(ref);
      const site = siteOf('getService', name, ref);
      try {
        const [service] = await call(site, async () => (await clients.run()).getService({ name }, CALL_OPTIONS));
        return toRunService(service, name);
      } catch (err) {
        if ((err as GcpError).errorClass === 'notFound') return null;
        throw err;
      }
    },

    async setIngress(ref, ingress, etag) {
      const name = servicePath(ref);
      const site = siteOf('setIngress', name, ref);
      return updateService(site, { service: { name, ingress: V2_INGRESS_NAME[ingress], etag }, updateMask: { paths: ['ingress'] } });
    },

    async setVpcAccess(ref, vpcAccess, etag) {
      const name = servicePath(ref);
      const site = siteOf('setVpcAccess', name, ref);
      // Only template.vpcAccess is named in the mask: the rest of the template is left as it is.
      const template = { vpcAccess: v2VpcAccess(vpcAccess) } as RunServiceMessage['template'];
      return updateService(site, { service: { name, template, etag }, updateMask: { paths: ['template.vpc_access'] } });
    },

    async listServices(scope) {
      const parent = `projects/${scope.project}/locations/${scope.region}`;
      const site = siteOf('listServices', `${parent}/services`, scope);
      const services: RunService[] = [];
      const first: RunProtos.google.cloud.run.v2.IListServicesRequest = { parent, pageSize: RUN_PAGE_SIZE };
      const pages = listPages(first, (pageRequest) =>
        call(site, async () =>
          (await clients.run()).listServices(pageRequest, {
            ...CALL_OPTIONS,
            autoPaginate: false,
            otherArgs: { headers: { [FIELD_MASK_HEADER]: SERVICE_LIST_FIELDS } },
          }),
        ),
      );
      for await (const [page, raw] of pages) {
        for (const service of page) services.push(toRunService(service, service.name ?? ''));
        releasePages(page, raw?.services);
      }
      return services;
    },

    async forwardingRuleRegions(project, loadBalancingScheme) {
      // Project-wide: the quotas count it in the project, in no region.
      const site = siteOf('aggregatedList:forwardingRule', `projects/${project}/aggregated/forwardingRules`, { project, region: '' });
      const regions = new Set<string>();
      // Page by page, like list, so that each page is a request the gate admits (the client's
      // aggregatedListAsync fetches its pages inside one iteration, out of the gate's sight).
      const first: AggregatedListRequest = { project, maxResults: COMPUTE_MAX_RESULTS };
      const pages = listPages(first, (pageRequest) =>
        call(site, async () => {
          // The generated method behind aggregatedListAsync; called as list is, one page per call.
          const aggregatedList = (await clients.compute('forwardingRule')).innerApiCalls.aggregatedList as AggregatedListCall;
          // What aggregatedListAsync sends besides the request: the routing header (by project).
          const headers = { 'x-goog-request-params': `project=${encodeURIComponent(project)}` };
          return aggregatedList(pageRequest, { ...CALL_OPTIONS, autoPaginate: false, otherArgs: { headers } });
        }),
      );
      for await (const [scopes] of pages) {
        // Scopes are "regions/R"; a region without rules answers with a warning and no list.
        for (const [scope, scoped] of Object.entries(scopes ?? {})) {
          const region = /^regions\/([^/]+)$/.exec(scope)?.[1];
          if (region && (scoped.forwardingRules ?? []).some((rule) => rule.loadBalancingScheme === loadBalancingScheme))
            regions.add(region);
        }
      }
      return [...regions].sort();
    },

    async list<K extends ResourceKind>(kind: K, scope: RegionRef, names?: readonly string[]): Promise<Array<Observed<K>>> {
      const site = siteOf(kindCall('list', kind), regionalPath(kind, { ...scope, name: '' }).replace(/\/$/, ''), scope);
      if (names && names.length === 0) return [];
      const found: Array<Observed<K>> = [];
      // Long filters are split so the request line stays short; each part pages on its own.
      for (const filter of names ? chunks(names, LIST_FILTER_NAMES).map(nameFilter) : [undefined]) {
        const first: ComputeListRequest = {
          project: scope.project,
          region: scope.region,
          maxResults: COMPUTE_MAX_RESULTS,
          ...(filter ? { filter } : {}),
        };
        const pages = listPages(first, (pageRequest) =>
          call(site, async () =>
            (await resourceClient(kind)).list(pageRequest, {
              ...CALL_OPTIONS,
              autoPaginate: false,
              otherArgs: { headers: { [FIELD_MASK_HEADER]: LIST_FIELDS[kind] } },
            }),
          ),
        );
        for await (const [page, raw] of pages) {
          for (const resource of page) found.push(observed(kind, { ...scope, name: String(resource.name ?? '') }, resource));
          releasePages(page, raw?.items);
        }
      }
      return found;
    },

    async get<K extends ResourceKind>(kind: K, ref: ResourceRef): Promise<Observed<K> | null> {
      const site = resourceSite(kindCall('get', kind), kind, ref);
      try {
        const [resource] = await call(
          site,
          async () =>
            (await resourceClient(kind)).get(
              { project: ref.project, region: ref.region, [REQUEST_FIELD[kind].name]: ref.name },
              CALL_OPTIONS,
            ),
          { target: { kind, ref } },
        );
        return observed(kind, ref, resource);
      } catch (err) {
        if ((err as GcpError).errorClass === 'notFound') return null;
        throw err;
      }
    },

    async insert<K extends ResourceKind>(kind: K, ref: ResourceRef, resource: ResourceOf[K], requestId: string) {
      const site = resourceSite(kindCall('insert', kind), kind, ref);
      const body = { ...resource, name: ref.name };
      await computeWrite(site, { kind, ref }, async () =>
        (await resourceClient(kind)).insert(
          { project: ref.project, region: ref.region, requestId, [REQUEST_FIELD[kind].resource]: body },
          CALL_OPTIONS,
        ),
      );
    },

    async mutate(mutation: Mutation) {
      const { kind, ref } = mutation;
      const at = (call: AdapterCall) => resourceSite(call, kind, ref);
      if (mutation.method === 'patch') refuseEmptyLists(at(`mutate:${mutation.kind}:patch`), mutation.fields);
      const target = { project: ref.project, region: ref.region, [REQUEST_FIELD[kind].name]: ref.name };
      switch (mutation.kind) {
        case 'backendService':
          return computeWrite(at('mutate:backendService:patch'), { kind, ref }, async () =>
            (await clients.compute('backendService')).patch(
              { ...target, backendServiceResource: { ...mutation.fields, fingerprint: mutation.fingerprint } },
              CALL_OPTIONS,
            ),
          );
        case 'urlMap':
          return computeWrite(at('mutate:urlMap:patch'), { kind, ref }, async () =>
            (await clients.compute('urlMap')).patch(
              { ...target, urlMapResource: { ...mutation.fields, fingerprint: mutation.fingerprint } },
              CALL_OPTIONS,
            ),
          );
        case 'targetProxy':
          return computeWrite(at('mutate:targetProxy:setUrlMap'), { kind, ref }, async () =>
            (await clients.compute('targetProxy')).setUrlMap(
              { ...target, urlMapReferenceResource: { urlMap: mutation.urlMap } },
              CALL_OPTIONS,
            ),
          );
        case 'forwardingRule':
          return computeWrite(at('mutate:forwardingRule:setTarget'), { kind, ref }, async () =>
            (await clients.compute('forwardingRule')).setTarget(
              { ...target, targetReferenceResource: { target: mutation.target } },
              CALL_OPTIONS,
            ),
          );
        default:
          return assertNever(mutation);
      }
    },

    async delete(kind, ref, requestId) {
      const site = resourceSite(kindCall('delete', kind), kind, ref);
      await computeWrite(site, { kind, ref }, async () =>
        (await resourceClient(kind)).delete(
          { project: ref.project, region: ref.region, requestId, [REQUEST_FIELD[kind].name]: ref.name },
          CALL_OPTIONS,
        ),
      );
    },

    warm: () => clients.warm(),
    inFlight: () => inFlight.list(),
    clientNames: () => clients.names().filter((name) => name !== 'emulatorAuth'),
    close: () => clients.close(),
  };
}

/** A call about a resource, with the project and region Google's quotas count it in. */
interface Site extends CallSite {
  project: string;
  /** '' for a project-wide call (an aggregated list) */
  region: string;
}

function siteOf(call: AdapterCall, resource: string, scope: { project: string; region: string }): Site {
  return { call, resource, project: scope.project, region: scope.region };
}

/** Cloud Run Admin API calls; every other call goes to Compute. */
function isRunCall(call: AdapterCall): boolean {
  return call === 'getService' || call === 'listServices' || call === 'setIngress' || call === 'setVpcAccess';
}

/** `list:*` → list, `get:*` → read, `wait:operation` → operation read, other compute calls → write. */
function quotaGroupOf(call: AdapterCall): QuotaGroup {
  if (isRunCall(call)) return call === 'getService' || call === 'listServices' ? 'run.read' : 'run.write';
  const verb = call.slice(0, call.indexOf(':'));
  if (verb === 'list' || verb === 'aggregatedList') return 'compute.list';
  if (verb === 'get') return 'compute.read';
  return verb === 'wait' ? 'compute.operationRead' : 'compute.write';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The compute client a call goes through: `get:urlMap` → urlMap, `wait:operation` → operations. */
function computeClientOf(call: AdapterCall): keyof ComputeClients {
  const kind = call.split(':')[1] as ResourceKind | 'operation';
  return kind === 'operation' ? 'operations' : kind;
}

// The REST client serialises proto3 JSON, which omits empty repeated fields: a patch meant to
// clear a list (e.g. `backends: []`) would reach Compute without it and silently change nothing.
function refuseEmptyLists(site: CallSite, fields: object): void {
  const empty = Object.entries(fields)
    .filter(([, value]) => Array.isArray(value) && value.length === 0)
    .map(([field]) => field);
  if (empty.length > 0) {
    throw new GcpError(
      'permanent',
      `${site.call} ${site.resource}: cannot clear ${empty.join(', ')} with patch: the client drops empty lists (proto3 JSON), so the call would change nothing`,
    );
  }
}

/** A fresh idempotency key for an insert or delete. */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * Empties list pages once copied. gax keeps every call's result reachable until the call's
 * deadline (CALL_OPTIONS.timeout, 60 s): it arms AbortSignal.timeout per call, and the abort
 * listener's closure holds the callback that holds the result (google-gax
 * build/src/fallbackServiceStub.js). A sweep lists a whole fleet well within that time, so
 * without this every decoded page of it stays in memory at once (README, Performance).
 */
function releasePages(...pages: Array<unknown[] | null | undefined>): void {
  for (const page of pages) if (page) page.length = 0;
}

/** Compute's largest page (docs/google-behaviour.md); Cloud Run's maximum is unverified. */
const COMPUTE_MAX_RESULTS = 500;
const RUN_PAGE_SIZE = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A list's pages (Compute's or Cloud Run's), one call each: with autoPaginate off, gax answers a
 * page with the next page's request (its pageToken set) while there is one. The next page is
 * fetched only once the caller is done with this one.
 */
async function* listPages<Request extends { pageToken?: string | null }, Page, Raw>(
  first: Request,
  fetchPage: (request: Request) => Promise<[Page, Request | null | undefined, Raw]>,
): AsyncGenerator<[Page, Raw]> {
  for (let request: Request | null = first; request;) {
    const [page, next, raw] = await fetchPage(request);
    yield [page, raw];
    request = next && next.pageToken ? next : null;
  }
}

interface AggregatedListRequest {
  project: string;
  maxResults: number;
  pageToken?: string;
}

/** One page: regions' rules by scope ("regions/R"), the next page's request, the raw answer. */
type AggregatedListCall = (
  request: AggregatedListRequest,
  options: object,
) => Promise<
  [Record<string, ComputeProtos.google.cloud.compute.v1.IForwardingRulesScopedList> | null, AggregatedListRequest | null, unknown]
>;

interface ComputeListRequest {
  project: string;
  region: string;
  maxResults: number;
  filter?: string;
  pageToken?: string;
}

/**
 * `name eq "a|b|c"`: Compute's `eq` is a full-match RE2 regular expression; resource names are
 * [-a-z0-9] only, so they need no escaping beyond what the schema already refuses.
 */
export function nameFilter(names: readonly string[]): string {
  return `name eq "${names.map((n) => n.replace(/[^-a-z0-9]/g, (c) => `\\${c}`)).join('|')}"`;
}

interface ResourceClient {
  list(
    request: ComputeListRequest,
    options: object,
  ): Promise<[Array<Record<string, unknown>>, ComputeListRequest | null, { items?: unknown[] | null } | null | undefined]>;
  get(request: object, options: object): Promise<[Record<string, unknown>, ...unknown[]]>;
  insert(request: object, options: object): Promise<[unknown, ...unknown[]]>;
  delete(request: object, options: object): Promise<[unknown, ...unknown[]]>;
}

function servicePath(ref: ServiceRef): string {
  return `projects/${ref.project}/locations/${ref.region}/services/${ref.service}`;
}

function toRunService(service: RunServiceMessage, name: string): RunService {
  const result: RunService = {
    name: service.name || name,
    ingress: observedIngress(service.ingress ?? 0) ?? 'unspecified',
    etag: service.etag ?? '',
    annotations: { ...(service.annotations ?? {}) },
  };
  if (service.latestCreatedRevision) result.latestCreatedRevision = service.latestCreatedRevision;
  const vpcAccess = observedVpcAccess(service.template?.vpcAccess as V2VpcAccess | null | undefined);
  if (vpcAccess) result.vpcAccess = vpcAccess;
  return result;
}

/** The port's fields of a compute resource, without proto defaults (empty lists/maps, nulls). */
function observed<K extends ResourceKind>(kind: K, ref: ResourceRef, resource: Record<string, unknown>): Observed<K> {
  const picked: Record<string, unknown> = {};
  for (const field of OBSERVED_FIELDS[kind] as readonly string[]) {
    const value = withoutDefaults(resource[field]);
    if (value !== undefined) picked[field] = value;
  }
  picked.name ??= ref.name;
  picked.selfLink = typeof resource.selfLink === 'string' && resource.selfLink ? resource.selfLink : regionalUrl(kind, ref);
  return picked as unknown as Observed<K>;
}

// gax's REST decoding adds `_field` markers for proto3 optionals and empty [] / {} for unset
// repeated and map fields; the port's types say "absent" for all of those.
function withoutDefaults(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(withoutDefaults).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([key]) => !key.startsWith('_'))
      .map(([key, item]) => [key, withoutDefaults(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}
