// Cloud Run Admin API v2 services over REST, as the @google-cloud/run ServicesClient (fallback
// REST) calls them. Writes take effect at once (the service reads back with `reconciling: true`,
// as on Cloud Run) and return a long-running operation that completes after the configured
// delay; a failed operation rolls the change back. Audit: operation.first now, .last at the end.
import { GoogleApiError, invalid } from './google-error';
import { afterOperationDelay, waitUntilDone, type CallContext, type Core, recordMutation } from './core';
import { clone, type Json } from './json';
import { pageOf, RUN_PAGES } from './list-page';
import { fingerprint, hex } from './random';
import { decodeService, encodeService, INGRESS_NAMES, wantsIntEnums } from './run-enums';

export interface RunRequest {
  method: string;
  /** path segments after /v2/ */
  segments: string[];
  query: URLSearchParams;
  body: Json;
  ctx: CallContext;
}

export interface RunResponse {
  status: number;
  body: Json;
}

interface RunOperation {
  json: Json;
  waiters: Array<() => void>;
}

const SERVICE_TYPE = 'type.googleapis.com/google.cloud.run.v2.Service';

/** Fields the server owns; a client's values for them are ignored. */
const OUTPUT_ONLY = [
  'name',
  'uid',
  'generation',
  'createTime',
  'updateTime',
  'deleteTime',
  'expireTime',
  'creator',
  'lastModifier',
  'observedGeneration',
  'terminalCondition',
  'conditions',
  'latestReadyRevision',
  'latestCreatedRevision',
  'trafficStatuses',
  'uri',
  'urls',
  'satisfiesPzs',
  'reconciling',
  'etag',
];

export const runNotFound = (project: string, region: string, service: string): GoogleApiError =>
  new GoogleApiError(
    404,
    'NOT_FOUND',
    `Resource '${service}' of kind 'SERVICE' in region '${region}' in project '${project}' does not exist.`,
    'notFound',
  );

/** Stale etag. Cloud Run v2's exact answer is unverified; v1 answers 409 ABORTED, so this does too. */
export const etagMismatch = (service: string): GoogleApiError =>
  new GoogleApiError(
    409,
    'ABORTED',
    `Conflict for resource '${service}': the etag in the request does not match the current etag.`,
    'aborted',
  );

export class RunApi {
  private readonly services = new Map<string, Json>();
  private readonly operations = new Map<string, RunOperation>();

  constructor(private readonly core: Core) {}

  static methodName(req: Pick<RunRequest, 'method' | 'segments'>): string {
    const isOperation = req.segments[4] === 'operations';
    if (isOperation) return `google.longrunning.Operations.${req.method === 'GET' ? 'GetOperation' : 'WaitOperation'}`;
    const named = req.segments[5] !== undefined;
    const verb =
      { GET: named ? 'GetService' : 'ListServices', POST: 'CreateService', PATCH: 'UpdateService', DELETE: 'DeleteService' }[req.method] ??
      'Unknown';
    return `google.cloud.run.v2.Services.${verb}`;
  }

  async handle(req: RunRequest): Promise<RunResponse> {
    const [projects, project, locations, region, collection, rawName] = req.segments;
    if (projects !== 'projects' || !project || locations !== 'locations' || !region || req.segments.length > 6) throw notFoundUrl(req);
    const asInt = wantsIntEnums(req.query);
    if (collection === 'operations') return this.operationCall(req, `projects/${project}/locations/${region}/operations`, rawName, asInt);
    if (collection !== 'services') throw notFoundUrl(req);
    if (rawName === undefined) {
      if (req.method === 'GET') return this.list(project, region, asInt, req.query);
      if (req.method === 'POST') return this.write(req, 'CreateService', project, region, req.query.get('serviceId') ?? '', asInt);
      throw notFoundUrl(req);
    }
    if (rawName.includes(':')) throw notFoundUrl(req);
    if (req.method === 'GET') return { status: 200, body: this.view(this.find(project, region, rawName), asInt) };
    if (req.method === 'PATCH') return this.write(req, 'UpdateService', project, region, rawName, asInt);
    if (req.method === 'DELETE') return this.write(req, 'DeleteService', project, region, rawName, asInt);
    throw notFoundUrl(req);
  }

  private find(project: string, region: string, service: string): Json {
    const found = this.services.get(`projects/${project}/locations/${region}/services/${service}`);
    if (!found) throw runNotFound(project, region, service);
    return found;
  }

  private list(project: string, region: string, asInt: boolean, query: URLSearchParams): RunResponse {
    const prefix = `projects/${project}/locations/${region}/services/`;
    const all = [...this.services.entries()].filter(([name]) => name.startsWith(prefix)).map(([, s]) => this.view(s, asInt));
    // Ordered and paged by full resource name (one location: same order as the service id).
    const page = pageOf(all, query, RUN_PAGES);
    const body: Json = {};
    if (page.items.length > 0) body.services = page.items;
    if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
    return { status: 200, body };
  }

  private view(service: Json, asInt: boolean): Json {
    return encodeService(clone(service), asInt);
  }

  // ---- writes ------------------------------------------------------------------------------

  private write(
    req: RunRequest,
    verb: 'CreateService' | 'UpdateService' | 'DeleteService',
    project: string,
    region: string,
    service: string,
    asInt: boolean,
  ): RunResponse {
    const methodName = `google.cloud.run.v2.Services.${verb}`;
    const name = `projects/${project}/locations/${region}/services/${service}`;
    const body = verb === 'DeleteService' ? {} : decodeService(clone(req.body));
    const updateMask = req.query.get('updateMask') ?? undefined;
    const request: Json = { '@type': `type.googleapis.com/google.cloud.run.v2.${verb}Request`, name };
    if (verb !== 'DeleteService') request.service = { ...body, name };
    if (updateMask !== undefined) request.updateMask = updateMask;
    const audit = { methodName, name, project, region, service, ctx: req.ctx, request };
    try {
      const rejection = this.core.faults.rejection(methodName, `run.services.${verb.replace('Service', '').toLowerCase()}`, name);
      if (rejection) throw rejection;
      const before = this.services.get(name);
      const after = this.apply(verb, req, name, service, before, body, updateMask);
      if (req.query.get('validateOnly') === 'true') {
        const subject = { '@type': SERVICE_TYPE, ...clone(after ?? before ?? {}) };
        return {
          status: 200,
          body: encodeOperation(
            { name: `projects/${project}/locations/${region}/operations/validate`, done: true, response: subject },
            asInt,
          ),
        };
      }
      const op = this.startOperation(audit, name, before, after, asInt);
      recordMutation(this.core, 'run', methodName, name, req.ctx);
      return { status: 200, body: op };
    } catch (err) {
      if (err instanceof GoogleApiError) this.auditRecord(audit, undefined, undefined, { code: err.rpcCode, message: err.message });
      throw err;
    }
  }

  /** Checks the write and makes it; returns the service afterwards (undefined when deleted). */
  private apply(
    verb: string,
    req: RunRequest,
    name: string,
    service: string,
    before: Json | undefined,
    body: Json,
    updateMask: string | undefined,
  ): Json | undefined {
    const [, project, , region] = name.split('/') as [string, string, string, string];
    const dryRun = req.query.get('validateOnly') === 'true';
    if (verb === 'DeleteService') {
      if (!before) throw runNotFound(project, region, service);
      const etag = req.query.get('etag');
      if (etag && etag !== before.etag) throw etagMismatch(service);
      if (!dryRun) this.services.delete(name);
      return undefined;
    }
    checkIngress(body.ingress);
    const creating = verb === 'CreateService' || (!before && req.query.get('allowMissing') === 'true');
    if (creating) {
      if (!/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(service))
        throw invalid(`service_id '${service}' must match [a-z]([-a-z0-9]*[a-z0-9])? and be at most 49 characters`);
      if (before) throw new GoogleApiError(409, 'ALREADY_EXISTS', `Resource '${service}' already exists.`, 'alreadyExists');
      const created = this.newService(project, region, service, body, req.ctx.principal);
      if (this.core.faults.takeRace(['services', 'service', 'run'])) {
        this.services.set(name, created);
        throw new GoogleApiError(409, 'ALREADY_EXISTS', `Resource '${service}' already exists.`, 'alreadyExists');
      }
      if (!dryRun) this.services.set(name, created);
      return created;
    }
    if (!before) throw runNotFound(project, region, service);
    if (body.etag && body.etag !== before.etag) throw etagMismatch(service);
    const after = clone(before);
    const paths = updateMask?.split(',').map((p) => p.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
    if (paths && !paths.includes('*')) {
      for (const path of paths) {
        if (OUTPUT_ONLY.includes(path.split('.')[0] as string)) throw invalid(`updateMask path '${path}' names an output-only field`);
        setPath(after, path, getPath(body, path));
      }
    } else {
      for (const key of Object.keys(after)) if (!OUTPUT_ONLY.includes(key) && key !== 'template') delete after[key];
      for (const [key, value] of Object.entries(body)) if (!OUTPUT_ONLY.includes(key)) after[key] = value;
    }
    return this.commit(name, before, after, req.ctx.principal, dryRun);
  }

  /** An accepted update of `before` into `after` (v1 or v2): a new generation and etag, a new
   *  revision when the template changed, reconciling until its rollout is done. */
  commit(name: string, before: Json, after: Json, principal: string, dryRun = false): Json {
    const templateChanged = JSON.stringify(after.template) !== JSON.stringify(before.template);
    after.generation = String(Number(before.generation) + 1);
    if (templateChanged) after.latestCreatedRevision = this.revisionName(name, Number(after.generation));
    after.updateTime = new Date().toISOString();
    after.lastModifier = principal;
    after.etag = this.etag();
    after.reconciling = true;
    if (!dryRun) this.services.set(name, after);
    return after;
  }

  /** The stored service (v2 shape), or undefined. */
  stored(name: string): Json | undefined {
    return this.services.get(name);
  }

  /** Every stored service name, for the v1 list. */
  names(): string[] {
    return [...this.services.keys()];
  }

  /** The rollout of the current generation finished: the service is ready again. */
  markReady(name: string): Json | undefined {
    const current = this.services.get(name);
    if (!current) return undefined;
    current.reconciling = false;
    current.observedGeneration = current.generation;
    current.latestReadyRevision = current.latestCreatedRevision;
    current.terminalCondition = { type: 'Ready', state: 'CONDITION_SUCCEEDED', lastTransitionTime: new Date().toISOString() };
    return current;
  }

  /** A ready service as seeding and CreateService make it. */
  newService(project: string, region: string, service: string, body: Json, principal: string): Json {
    const name = `projects/${project}/locations/${region}/services/${service}`;
    const now = new Date().toISOString();
    const revision = this.revisionName(name, 1);
    const fields = clone(body);
    for (const key of OUTPUT_ONLY) delete fields[key];
    return {
      name,
      uid: `${hex(this.core.random, 8)}-${hex(this.core.random, 4)}-${hex(this.core.random, 4)}-${hex(this.core.random, 4)}-${hex(this.core.random, 12)}`,
      generation: '1',
      labels: {},
      annotations: {},
      ingress: 'INGRESS_TRAFFIC_ALL',
      launchStage: 'GA',
      template: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }], maxInstanceRequestConcurrency: 80 },
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      ...fields,
      createTime: now,
      updateTime: now,
      creator: principal,
      lastModifier: principal,
      observedGeneration: '1',
      terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED', lastTransitionTime: now },
      conditions: [],
      latestReadyRevision: revision,
      latestCreatedRevision: revision,
      trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      uri: `https://${service}-${hex(this.core.random, 10)}-${region}.a.run.app`,
      urls: [],
      reconciling: false,
      etag: this.etag(),
    };
  }

  has(name: string): boolean {
    return this.services.has(name);
  }

  /** Seeding: stores a ready service without an operation or an audit entry. */
  put(service: Json): void {
    this.services.set(String(service.name), service);
  }

  snapshot(): Record<string, Json> {
    return Object.fromEntries([...this.services.entries()].map(([name, s]) => [name, clone(s)]));
  }

  reset(): void {
    this.services.clear();
    this.operations.clear();
  }

  releaseWaiters(): void {
    for (const op of this.operations.values()) for (const waiter of op.waiters.splice(0)) waiter();
  }

  private revisionName(serviceName: string, generation: number): string {
    const service = serviceName.slice(serviceName.lastIndexOf('/') + 1);
    const letters = Array.from({ length: 3 }, () => String.fromCharCode(97 + Math.floor(this.core.random() * 26))).join('');
    return `${serviceName}/revisions/${service}-${String(generation).padStart(5, '0')}-${letters}`;
  }

  private etag(): string {
    return `"${fingerprint(this.core.random).replace(/=+$/, '')}"`;
  }

  // ---- operations --------------------------------------------------------------------------

  private startOperation(audit: AuditContext, name: string, before: Json | undefined, after: Json | undefined, asInt: boolean): Json {
    const [, project, , region] = name.split('/');
    const opName = `projects/${project}/locations/${region}/operations/${hex(this.core.random, 8)}-${hex(this.core.random, 4)}-${hex(this.core.random, 4)}-${hex(this.core.random, 4)}-${hex(this.core.random, 12)}`;
    const subject = after ?? before ?? {};
    const op: RunOperation = { json: { name: opName, metadata: { '@type': SERVICE_TYPE, ...clone(subject) }, done: false }, waiters: [] };
    this.operations.set(opName, op);
    const fails = this.core.faults.operationFails(audit.methodName);
    this.auditRecord(audit, { id: opName, first: true }, { '@type': SERVICE_TYPE, ...clone(subject) });
    afterOperationDelay(this.core, () => {
      let status: { code: number; message: string } | undefined;
      if (fails) {
        // The change never became ready: put the service back as it was.
        if (before) this.services.set(name, before);
        else this.services.delete(name);
        status = { code: 13, message: `Injected operation failure for ${audit.methodName} on '${name}'` };
        op.json.error = status;
      } else {
        const current = after ? this.markReady(name) : this.services.get(name);
        op.json.response = { '@type': SERVICE_TYPE, ...clone(current ?? before ?? {}) };
      }
      op.json.done = true;
      this.auditRecord(audit, { id: opName, last: true }, undefined, status);
      for (const waiter of op.waiters.splice(0)) waiter();
    });
    return encodeOperation(op.json, asInt);
  }

  private async operationCall(req: RunRequest, prefix: string, rawName: string | undefined, asInt: boolean): Promise<RunResponse> {
    if (rawName === undefined) {
      const operations = [...this.operations.entries()]
        .filter(([name]) => name.startsWith(prefix))
        .map(([, op]) => encodeOperation(op.json, asInt));
      return { status: 200, body: { operations } };
    }
    const [id, action] = rawName.split(':');
    const op = this.operations.get(`${prefix}/${id}`);
    if (!op) throw new GoogleApiError(404, 'NOT_FOUND', `Operation '${prefix}/${id}' not found.`, 'notFound');
    if (action === 'wait' && req.method === 'POST') {
      const timeoutMs = Math.min(parseDuration(req.body.timeout) ?? 120_000, 120_000);
      if (op.json.done !== true) await waitUntilDone(this.core, op.waiters, timeoutMs);
    } else if (action !== undefined || req.method !== 'GET') {
      throw notFoundUrl(req);
    }
    return { status: 200, body: encodeOperation(op.json, asInt) };
  }

  private auditRecord(
    a: AuditContext,
    operation?: { id: string; first?: true; last?: true },
    response?: Json,
    status?: { code: number; message: string },
  ): void {
    this.core.audit.write({
      serviceName: 'run.googleapis.com',
      methodName: a.methodName,
      resourceName: a.name,
      project: a.project,
      region: a.region,
      principal: a.ctx.principal,
      permission: `run.services.${a.methodName.endsWith('CreateService') ? 'create' : a.methodName.endsWith('DeleteService') ? 'delete' : 'update'}`,
      request: a.request,
      ...(response ? { response } : {}),
      ...(status ? { status } : {}),
      ...(operation ? { operation } : {}),
      resource: {
        type: 'cloud_run_revision',
        labels: { configuration_name: '', location: a.region, project_id: a.project, revision_name: '', service_name: a.service },
      },
      callerIp: a.ctx.callerIp,
      userAgent: a.ctx.userAgent,
    });
  }
}

interface AuditContext {
  methodName: string;
  name: string;
  project: string;
  region: string;
  service: string;
  ctx: CallContext;
  request: Json;
}

/** A copy of a google.longrunning.Operation with the Service inside encoded as asked. */
function encodeOperation(json: Json, asInt: boolean): Json {
  const out = clone(json);
  if (out.metadata) encodeService(out.metadata as Json, asInt);
  if (out.response) encodeService(out.response as Json, asInt);
  return out;
}

function checkIngress(ingress: unknown): void {
  if (ingress === undefined) return;
  if (typeof ingress !== 'string' || !INGRESS_NAMES.includes(ingress)) {
    throw invalid(
      `Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), ${JSON.stringify(ingress)}`,
    );
  }
}

function getPath(source: Json, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Json)[key] : undefined), source);
}

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let at = target;
  for (const key of keys) at = (at[key] ??= {}) as Json;
  if (value === undefined) delete at[last];
  else at[last] = clone(value);
}

/** google.protobuf.Duration JSON ("30s", "1.5s") in ms. */
function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return m ? Number(m[1]) * 1000 : undefined;
}

function notFoundUrl(req: RunRequest): GoogleApiError {
  return new GoogleApiError(
    404,
    'NOT_FOUND',
    `The requested URL /v2/${req.segments.join('/')} (${req.method}) was not found on the emulator.`,
    'notFound',
  );
}
