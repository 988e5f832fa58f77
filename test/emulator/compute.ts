// Compute Engine v1 (and beta, same shapes) regional resources over REST, as the
// @google-cloud/compute clients and gcloud call them. Writes return an Operation at once;
// the change takes effect when the operation completes (after the configured delay).
// Every mutating call writes audit entries: one ERROR entry when refused, else an
// operation.first entry now and an operation.last entry when the operation completes.
import { COMPUTE_URL_BASE, partialPath, toUrl } from './compute-urls';
import { alreadyExists, conditionNotMet, GoogleApiError, invalid, notFound, resourceInUse } from './google-error';
import { withServerDefaults } from './compute-defaults';
import { sameFingerprint } from './fingerprints';
import { serverlessRefusal } from './compute-serverless';
import { COLLECTIONS, isCollection, OUTPUT_ONLY, REFERENCE_FIELDS, type Collection } from './compute-collections';
import { auditRequest, auditResource, permissionOf, singular, verbOf, type AuditContext } from './compute-naming';
import type { AuditRecord } from './audit';
import { afterOperationDelay, waitUntilDone, type CallContext, type Core, recordMutation } from './core';
import { clone, type Json } from './json';
import { COMPUTE_PAGES, pageOf } from './list-page';
import { ComputeStore, scopeOf } from './compute-store';
import { digits, fingerprint, hex } from './random';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** labelFingerprint of an empty label set, as Compute returns it */
const EMPTY_LABEL_FINGERPRINT = '42WmSpB8rSM=';

export interface ComputeRequest {
  method: string;
  /** path segments after /compute/{v1|beta}/ */
  segments: string[];
  version: 'v1' | 'beta';
  query: URLSearchParams;
  body: Json;
  ctx: CallContext;
}

export interface ComputeResponse {
  status: number;
  body: Json;
}

interface Operation {
  json: Json;
  waiters: Array<() => void>;
}

/** A write the caller asked for, checked and ready to run when its operation completes. */
interface Write {
  collection: Collection;
  verb: string;
  project: string;
  region: string;
  name: string;
  /** partial path of the resource written */
  path: string;
  apply: () => void;
  /** the resource id the operation's targetId names */
  targetId: string;
}

export class ComputeApi {
  private readonly resources = new ComputeStore();
  private readonly operations = new Map<string, Operation>();
  /** the same operations by `projects/P/regions/R/operations/` + numeric id (the client waits by id) */
  private readonly operationsById = new Map<string, Operation>();
  /** partial paths being created by running operations: a second insert of one is a 409 */
  private readonly creating = new Set<string>();
  private readonly requestIds = new Map<string, string>();

  constructor(private readonly core: Core) {}

  /** methodName used for audit entries and fault matching, e.g. v1.compute.forwardingRules.delete */
  static methodName(req: Pick<ComputeRequest, 'method' | 'segments' | 'version'>): string {
    const [, , scope, , collection, name, verb] = req.segments;
    const coll = scope === 'global' ? req.segments[3] : scope === 'aggregated' ? req.segments[3] : collection;
    const audit = isCollection(coll) ? COLLECTIONS[coll].audit : coll === 'operations' ? 'regionOperations' : String(coll);
    const method = scope === 'aggregated' ? 'aggregatedList' : verbOf(req.method, scope === 'global' ? req.segments[4] : name, verb);
    return `${req.version}.compute.${audit}.${method}`;
  }

  async handle(req: ComputeRequest): Promise<ComputeResponse> {
    const [projects, project, scope, region, collection, name, verb, extra] = req.segments;
    if (projects !== 'projects' || !project) throw notFoundUrl(req);
    if (scope === 'global' && region === 'networks' && req.method === 'GET') {
      return collection === undefined
        ? this.list(project, 'global', 'networks', req.query)
        : this.get(`projects/${project}/global/networks/${collection}`);
    }
    if (scope === 'aggregated' && isCollection(region) && req.method === 'GET') return this.aggregated(project, region, req.query);
    if (scope !== 'regions' || !region || !collection || extra !== undefined) throw notFoundUrl(req);
    if (collection === 'operations') return this.operationCall(req, project, region, name, verb);
    if (!isCollection(collection) || collection === 'networks') throw notFoundUrl(req);
    const spec = COLLECTIONS[collection];
    if (name === undefined) {
      if (req.method === 'GET') return this.list(project, region, collection, req.query);
      if (req.method === 'POST' && !spec.readOnly)
        return this.mutate(req, collection, 'insert', project, region, String(req.body.name ?? ''));
      throw notFoundUrl(req);
    }
    const path = `projects/${project}/regions/${region}/${collection}/${name}`;
    if (verb === undefined && req.method === 'GET') return this.get(path);
    if (spec.readOnly) throw notFoundUrl(req);
    const write = verbOf(req.method, name, verb);
    if (write === 'delete' || spec.verbs.includes(write)) return this.mutate(req, collection, write, project, region, name);
    throw notFoundUrl(req);
  }

  // ---- reads -------------------------------------------------------------------------------

  private get(path: string): ComputeResponse {
    const resource = this.resources.get(path);
    if (!resource) throw notFound(path);
    return { status: 200, body: this.view(path, resource) };
  }

  private list(project: string, region: string, collection: Collection, query: URLSearchParams): ComputeResponse {
    const prefix =
      region === 'global' ? `projects/${project}/global/${collection}/` : `projects/${project}/regions/${region}/${collection}/`;
    // Paged on the stored resources (pageOf reads names only), so only the page served is viewed.
    const inScope = this.resources.inScope(prefix);
    const paths = new Map(inScope.map(([path, r]) => [r, path]));
    const page = pageOf(
      inScope.map(([, r]) => r),
      query,
      COMPUTE_PAGES,
    );
    page.items = page.items.map((r) => this.view(paths.get(r) as string, r));
    const id = prefix.slice(0, -1);
    const body: Json = { kind: `${COLLECTIONS[collection].kind}List`, id, selfLink: COMPUTE_URL_BASE + id };
    if (page.items.length > 0) body.items = page.items;
    if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
    return { status: 200, body };
  }

  /**
   * Paged like list (`maxResults`, `pageToken`), counting resources across regions in the order of
   * their paths (region, then name), so a page may end inside a region and the next go on in it.
   */
  private aggregated(project: string, collection: Collection, query: URLSearchParams): ComputeResponse {
    if (query.get('filter')) throw invalid('The emulator serves no filter on aggregated lists.');
    const paths: Json[] = [];
    for (const [path] of this.resources.entries()) {
      const m = /^projects\/([^/]+)\/regions\/[^/]+\/([^/]+)\//.exec(path);
      if (m && m[1] === project && m[2] === collection) paths.push({ name: path });
    }
    // pageOf pages items by `name`: here the path, unique across regions where names are not.
    const page = pageOf(paths, query, COMPUTE_PAGES);
    const items: Json = {};
    for (const { name: path } of page.items as Array<{ name: string }>) {
      const scope = `regions/${path.split('/')[3]}`;
      ((items[scope] ??= { [collection]: [] })[collection] as Json[]).push(this.view(path, this.resources.get(path) as Json));
    }
    const id = `projects/${project}/aggregated/${collection}`;
    const body: Json = { kind: `${COLLECTIONS[collection].kind}AggregatedList`, id, items, selfLink: COMPUTE_URL_BASE + id };
    if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
    return { status: 200, body };
  }

  /** The stored resource as Compute shows it: addresses with their live status and users,
   *  backend services with the URL maps using them (usedBy). */
  private view(path: string, resource: Json): Json {
    const out = clone(resource);
    if (path.includes('/addresses/')) {
      const users = this.addressUsers(path, resource);
      out.status = users.length > 0 ? 'IN_USE' : 'RESERVED';
      if (users.length > 0) out.users = users.map(toUrl);
    }
    if (path.includes('/backendServices/')) {
      const users = this.users(path, resource);
      if (users.length > 0) out.usedBy = users.map((user) => ({ reference: toUrl(user) }));
    }
    return out;
  }

  // ---- operations --------------------------------------------------------------------------

  private async operationCall(
    req: ComputeRequest,
    project: string,
    region: string,
    name: string | undefined,
    verb: string | undefined,
  ): Promise<ComputeResponse> {
    const prefix = `projects/${project}/regions/${region}/operations/`;
    if (name === undefined && req.method === 'GET') {
      const items = [...this.operations.entries()].filter(([key]) => key.startsWith(prefix)).map(([, op]) => clone(op.json));
      return {
        status: 200,
        body: { kind: 'compute#operationList', id: prefix.slice(0, -1), items, selfLink: COMPUTE_URL_BASE + prefix.slice(0, -1) },
      };
    }
    // Compute accepts an operation's name or its numeric id (the client's ExtendedOperation.name is the id).
    const op = this.operations.get(prefix + name) ?? this.operationsById.get(prefix + name);
    if (!op) throw notFound(prefix + name);
    if (verb === 'wait' && req.method === 'POST') {
      // Like Compute's wait: returns when the operation is DONE or after about 2 minutes.
      if (op.json.status !== 'DONE') await waitUntilDone(this.core, op.waiters, 120_000);
      return { status: 200, body: clone(op.json) };
    }
    if (verb === undefined && req.method === 'GET') return { status: 200, body: clone(op.json) };
    throw notFoundUrl(req);
  }

  /** Releases every waiting `wait` call (the server is stopping). */
  releaseWaiters(): void {
    for (const op of this.operations.values()) for (const waiter of op.waiters.splice(0)) waiter();
  }

  // ---- writes ------------------------------------------------------------------------------

  private mutate(
    req: ComputeRequest,
    collection: Collection,
    verb: string,
    project: string,
    region: string,
    name: string,
  ): ComputeResponse {
    const spec = COLLECTIONS[collection];
    const methodName = `${req.version}.compute.${spec.audit}.${verb}`;
    const path = `projects/${project}/regions/${region}/${collection}/${name}`;
    const requestId = req.query.get('requestId');
    if (requestId !== null && (!UUID.test(requestId) || /^[0-]+$/.test(requestId))) {
      throw invalid(
        `Invalid value for field 'requestId': '${requestId}'. The request ID must be a valid UUID with the exception that zero UUID is not supported (00000000-0000-0000-0000-000000000000).`,
      );
    }
    const replayed = requestId ? this.requestIds.get(`${project}/${requestId}`) : undefined;
    if (replayed) return { status: 200, body: clone((this.operations.get(replayed) as Operation).json) };
    const audit = {
      methodName,
      project,
      region,
      path,
      collection,
      verb,
      ctx: req.ctx,
      request: auditRequest(methodName, req.body, requestId),
    };
    try {
      const rejection = this.core.faults.rejection(methodName, permissionOf(spec.audit, verb, req.body), path);
      if (rejection) throw rejection;
      const write = this.plan(collection, verb, project, region, name, path, req.body);
      const op = this.startOperation(write, methodName, audit);
      if (requestId) this.requestIds.set(`${project}/${requestId}`, opKey(op.json));
      recordMutation(this.core, 'compute', methodName, path, req.ctx);
      return { status: 200, body: clone(op.json) };
    } catch (err) {
      if (err instanceof GoogleApiError) {
        this.auditEntry(audit, String(this.resources.get(path)?.id ?? ''), { status: { code: err.rpcCode, message: err.message } });
      }
      throw err;
    }
  }

  /** Checks the call against the current state and returns the change to make. */
  private plan(collection: Collection, verb: string, project: string, region: string, name: string, path: string, body: Json): Write {
    const spec = COLLECTIONS[collection];
    const write = (apply: () => void, targetId: string): Write => ({ collection, verb, project, region, name, path, apply, targetId });
    if (verb === 'insert') {
      if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
        throw invalid(
          `Invalid value for field 'resource.name': '${name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
        );
      }
      if (this.resources.has(path) || this.creating.has(path)) throw alreadyExists(path);
      const resource = this.prepare(collection, project, region, clone(body));
      if (this.core.faults.takeRace([collection, spec.alias, 'compute'])) {
        this.store(collection, project, region, clone(resource));
        throw alreadyExists(path);
      }
      const id = digits(this.core.random, 19);
      this.creating.add(path);
      return write(() => {
        this.creating.delete(path);
        this.store(collection, project, region, resource, id);
      }, id);
    }
    const current = this.resources.get(path);
    if (!current) throw notFound(path);
    const targetId = String(current.id);
    if (verb === 'delete') {
      const user = this.users(path, current)[0];
      if (user) throw resourceInUse(singular(collection), path, user);
      return write(() => this.resources.delete(path), targetId);
    }
    if (verb === 'setLabels') {
      if (!sameFingerprint(body.labelFingerprint, current.labelFingerprint)) throw conditionNotMet('labelFingerprint');
      const labels = clone((body.labels ?? {}) as Json);
      return write(
        () =>
          this.change(path, (r) => {
            r.labels = labels;
            r.labelFingerprint = Object.keys(labels).length > 0 ? fingerprint(this.core.random) : EMPTY_LABEL_FINGERPRINT;
          }),
        targetId,
      );
    }
    if (verb === 'setTarget' || verb === 'setUrlMap') {
      const field = verb === 'setTarget' ? 'target' : 'urlMap';
      const value = body[field];
      if (typeof value !== 'string' || !value) throw invalid(`Required field '${field}' not specified`);
      this.checkRef(value);
      return write(() => this.change(path, (r) => void (r[field] = toUrl(value))), targetId);
    }
    // patch (merge the given fields) or update (replace the resource); both need the fingerprint
    if (
      spec.fingerprint &&
      (collection !== 'forwardingRules' || body.fingerprint !== undefined) &&
      !sameFingerprint(body.fingerprint, current.fingerprint)
    ) {
      throw conditionNotMet();
    }
    if (body.name !== undefined && body.name !== name)
      throw invalid(`Invalid value for field 'resource.name': '${String(body.name)}'. Resource name cannot be changed.`);
    const fields = clone(body);
    for (const key of OUTPUT_ONLY) delete fields[key];
    const next = verb === 'update' ? { ...pick(current, OUTPUT_ONLY), ...fields } : { ...current, ...fields };
    for (const [key, value] of Object.entries(next)) if (value === null) delete next[key];
    this.prepare(collection, project, region, next);
    return write(
      () =>
        this.change(path, (r) => {
          for (const key of Object.keys(r)) if (!OUTPUT_ONLY.includes(key)) delete r[key];
          Object.assign(
            r,
            pick(
              next,
              Object.keys(next).filter((k) => !OUTPUT_ONLY.includes(k)),
            ),
          );
        }),
      targetId,
    );
  }

  /** Validates references and fills defaults of a resource about to be written (in place). */
  private prepare(collection: Collection, project: string, region: string, resource: Json): Json {
    const spec = COLLECTIONS[collection];
    for (const [, value] of spec.refs(resource)) this.checkRef(value);
    normaliseRefs(resource);
    withServerDefaults(collection, resource);
    if (collection === 'backendServices') {
      const refused = serverlessRefusal(resource, (group) => this.resources.get(partialPath(group))?.networkEndpointType === 'SERVERLESS');
      if (refused) throw refused;
    }
    if (collection === 'forwardingRules') {
      const ip = resource.IPAddress;
      if (typeof ip === 'string' && ip.includes('/')) {
        const address = this.resources.get(partialPath(ip));
        if (!address) throw notFound(partialPath(ip));
        resource.IPAddress = address.address; // Compute stores the literal IP, not the URL
      }
      if (resource.loadBalancingScheme === 'INTERNAL_MANAGED' && !this.hasProxyOnlySubnet(project, region, resource.network)) {
        throw invalid(
          `Invalid value for field 'resource.target': '${String(resource.target ?? '')}'. An active proxy-only subnetwork is required in the same region and VPC as the forwarding rule.`,
        );
      }
      // Compute answers a single port as a range: "80" reads back "80-80".
      if (typeof resource.portRange === 'string' && /^\d+$/.test(resource.portRange))
        resource.portRange = `${resource.portRange}-${resource.portRange}`;
    }
    return resource;
  }

  /** A reference to a missing resource is Compute's 404 notFound naming it. */
  private checkRef(value: string): void {
    const path = partialPath(value);
    if (!this.resources.has(path)) throw notFound(path);
  }

  private hasProxyOnlySubnet(project: string, region: string, network: unknown): boolean {
    const prefix = `projects/${project}/regions/${region}/subnetworks/`;
    return this.resources
      .inScope(prefix)
      .some(
        ([, s]) =>
          s.purpose === 'REGIONAL_MANAGED_PROXY' &&
          (typeof network !== 'string' || partialPath(String(s.network)) === partialPath(network)),
      );
  }

  /** Resources that reference `path` (the first one blocks a delete). */
  private users(path: string, resource: Json): string[] {
    if (path.includes('/addresses/')) return this.addressUsers(path, resource);
    return this.resources.referencing(path).filter((other) => other !== path);
  }

  /** Forwarding rules of the region holding this address's IP. */
  private addressUsers(path: string, address: Json): string[] {
    const prefix = path.slice(0, path.indexOf('/addresses/')) + '/forwardingRules/';
    return this.resources.rulesWithIp(prefix, address.address);
  }

  private change(path: string, edit: (resource: Json) => void): void {
    // deleted meanwhile: the operation still completes, as Compute's would
    this.resources.change(path, (resource) => {
      edit(resource);
      if (typeof resource.fingerprint === 'string') resource.fingerprint = fingerprint(this.core.random);
    });
  }

  /** Stores a new resource with Compute's output-only fields. Used by inserts and by seeding. */
  store(collection: Collection, project: string, region: string, resource: Json, id = digits(this.core.random, 19)): Json {
    const spec = COLLECTIONS[collection];
    const path =
      region === 'global'
        ? `projects/${project}/global/${collection}/${resource.name}`
        : `projects/${project}/regions/${region}/${collection}/${resource.name}`;
    normaliseRefs(resource);
    withServerDefaults(collection, resource);
    const stored: Json = {
      kind: spec.kind,
      id,
      creationTimestamp: computeTime(new Date()),
      ...resource,
      selfLink: COMPUTE_URL_BASE + path,
    };
    if (spec.selfLinkWithId) stored.selfLinkWithId = COMPUTE_URL_BASE + path.slice(0, path.lastIndexOf('/') + 1) + id;
    if (region !== 'global') stored.region = `${COMPUTE_URL_BASE}projects/${project}/regions/${region}`;
    if (spec.fingerprint) stored.fingerprint = fingerprint(this.core.random);
    if (spec.labels)
      stored.labelFingerprint =
        stored.labels && Object.keys(stored.labels as Json).length > 0 ? fingerprint(this.core.random) : EMPTY_LABEL_FINGERPRINT;
    this.resources.set(path, stored);
    return stored;
  }

  has(path: string): boolean {
    return this.resources.has(partialPath(path));
  }

  snapshot(): Record<string, Json> {
    return Object.fromEntries([...this.resources.entries()].map(([path, r]) => [path, this.view(path, r)]));
  }

  reset(): void {
    this.resources.clear();
    this.operations.clear();
    this.operationsById.clear();
    this.creating.clear();
    this.requestIds.clear();
  }

  private startOperation(write: Write, methodName: string, audit: AuditContext): Operation {
    const now = new Date();
    const name = `operation-${now.getTime()}-${hex(this.core.random, 13)}-${hex(this.core.random, 8)}-${hex(this.core.random, 8)}`;
    const regionUrl = `${COMPUTE_URL_BASE}projects/${write.project}/regions/${write.region}`;
    const json: Json = {
      kind: 'compute#operation',
      id: digits(this.core.random, 19),
      name,
      operationType: write.verb,
      targetLink: COMPUTE_URL_BASE + write.path,
      targetId: write.targetId,
      status: 'RUNNING',
      user: audit.ctx.principal,
      progress: 0,
      insertTime: computeTime(now),
      startTime: computeTime(now),
      selfLink: `${regionUrl}/operations/${name}`,
      region: regionUrl,
    };
    const op: Operation = { json, waiters: [] };
    this.operations.set(opKey(json), op);
    const byId = scopeOf(opKey(json)) + String(json.id);
    if (!this.operationsById.has(byId)) this.operationsById.set(byId, op);
    const fails = this.core.faults.operationFails(methodName);
    this.auditEntry(audit, write.targetId, {
      operation: { id: name, first: true },
      response: { '@type': 'type.googleapis.com/operation', ...clone(json) },
    });
    afterOperationDelay(this.core, () => {
      if (fails) {
        this.creating.delete(write.path);
        json.error = { errors: [{ code: 'INTERNAL_ERROR', message: `Injected operation failure for ${methodName} on '${write.path}'` }] };
        json.httpErrorStatusCode = 500;
        json.httpErrorMessage = 'INTERNAL SERVER ERROR';
      } else {
        write.apply();
      }
      json.status = 'DONE';
      json.progress = 100;
      json.endTime = computeTime(new Date());
      const status = fails ? { code: 13, message: String((json.error as Json).errors[0].message) } : undefined;
      this.auditEntry(audit, write.targetId, { operation: { id: name, last: true }, ...(status ? { status } : {}) });
      for (const waiter of op.waiters.splice(0)) waiter();
    });
    return op;
  }

  /** One audit entry for this call: an operation's first/last marker, or a refusal's status. */
  private auditEntry(a: AuditContext, id: string, extra: Pick<AuditRecord, 'operation' | 'response' | 'status'>): void {
    this.core.audit.write({
      serviceName: 'compute.googleapis.com',
      methodName: a.methodName,
      resourceName: a.path,
      project: a.project,
      region: a.region,
      principal: a.ctx.principal,
      permission: permissionOf(COLLECTIONS[a.collection].audit, a.verb, a.request),
      request: a.request,
      ...extra,
      resource: auditResource(a, id),
      callerIp: a.ctx.callerIp,
      userAgent: a.ctx.userAgent,
    });
  }
}

function normaliseRefs(resource: Json): void {
  for (const key of REFERENCE_FIELDS)
    if (typeof resource[key] === 'string' && resource[key]) resource[key] = toUrl(resource[key] as string);
  if (Array.isArray(resource.backends))
    for (const b of resource.backends as Json[]) if (typeof b.group === 'string') b.group = toUrl(b.group);
}

function pick(resource: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => resource[k] !== undefined).map((k) => [k, resource[k]]));
}

function opKey(op: Json): string {
  return partialPath(String(op.selfLink));
}

const PACIFIC_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'longOffset' });

/** Compute prints times in US Pacific time with its offset of the day: 2026-11-25T02:05:00.150-08:00
 *  in winter, 2026-05-04T07:44:45.936-07:00 in summer (recorded resources). */
export function computeTime(date: Date): string {
  const name = PACIFIC_OFFSET.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT-08:00';
  const [, sign = '-', hours = '08', minutes = '00'] = /GMT([+-])(\d{2}):(\d{2})/.exec(name) ?? [];
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  return new Date(date.getTime() + offsetMs).toISOString().replace('Z', `${sign}${hours}:${minutes}`);
}

function notFoundUrl(req: ComputeRequest): GoogleApiError {
  return new GoogleApiError(
    404,
    'NOT_FOUND',
    `The requested URL /compute/${req.version}/${req.segments.join('/')} (${req.method}) was not found on the emulator.`,
    'notFound',
  );
}
