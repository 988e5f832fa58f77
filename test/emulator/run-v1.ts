// Cloud Run Admin API v1 (Knative serving) for services, on the same state as v2: what the console
// and `gcloud run services update/describe` call. Regional endpoint `{region}-run.googleapis.com`:
// GET/PUT /apis/serving.knative.dev/v1/namespaces/{project}/services/{name} and the list; also
// /v1/projects/{p}/locations/{r}/services[/{name}] on the global endpoint. A replaceService applies
// at once and writes one Admin Activity entry (no `operation`); when the rollout is done a
// system_event entry `/Services.ReplaceService` without a principal follows. Shapes and rules:
// docs/google-behaviour.md, "Cloud Run".
import { createHash } from 'node:crypto';
import type { AuditLog } from './audit';
import { afterOperationDelay, type CallContext, type Core, recordMutation } from './core';
import { GoogleApiError, invalid } from './google-error';
import { clone, type Json } from './json';
import { runNotFound, type RunApi } from './run';

export interface RunV1Request {
  method: string;
  project: string;
  region: string;
  /** the service name, absent for the list */
  service?: string;
  body: Json;
  ctx: CallContext;
}

const INGRESS_ANNOTATION = 'run.googleapis.com/ingress';
const INGRESS_STATUS_ANNOTATION = 'run.googleapis.com/ingress-status';

/** v2 IngressTraffic ↔ the v1 annotation's words (`none` unverified). */
const V1_INGRESS: Record<string, string> = {
  INGRESS_TRAFFIC_ALL: 'all',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'internal',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'internal-and-cloud-load-balancing',
  INGRESS_TRAFFIC_NONE: 'none',
};
const V2_INGRESS = Object.fromEntries(Object.entries(V1_INGRESS).map(([v2, v1]) => [v1, v2]));

/** Annotations Cloud Run owns; everything else in metadata.annotations is the user's (v2 `annotations`). */
const SYSTEM_ANNOTATION = /^(run\.googleapis\.com|serving\.knative\.dev|client\.knative\.dev|autoscaling\.knative\.dev)\//;
/** Template annotations a client stamps on every call; they do not make a new revision. */
const CLIENT_STAMPS = ['run.googleapis.com/client-name', 'run.googleapis.com/client-version', 'client.knative.dev/user-image'];

export class RunV1Api {
  constructor(
    private readonly core: Core,
    private readonly run: RunApi,
  ) {}

  static methodName(req: Pick<RunV1Request, 'method' | 'service'>): string {
    const verb =
      {
        GET: req.service === undefined ? 'ListServices' : 'GetService',
        PUT: 'ReplaceService',
        DELETE: 'DeleteService',
        POST: 'CreateService',
      }[req.method] ?? 'Unknown';
    return `google.cloud.run.v1.Services.${verb}`;
  }

  handle(request: RunV1Request): { status: number; body: Json } {
    const req = { ...request, project: this.projectOf(request.project) };
    if (req.service === undefined) {
      if (req.method !== 'GET') throw notFoundUrl(req);
      return { status: 200, body: this.list(req) };
    }
    if (req.method === 'GET') return { status: 200, body: this.view(this.current(req), req.project, req.region) };
    if (req.method === 'PUT') return { status: 200, body: this.replace(req) };
    throw notFoundUrl(req);
  }

  /** v1 namespaces may be the project number (as responses give them): the project id it stands for. */
  private projectOf(namespace: string): string {
    if (!/^\d+$/.test(namespace)) return namespace;
    const known = this.run.names().map((name) => name.split('/')[1] as string);
    return known.find((project) => projectNumber(project) === namespace) ?? namespace;
  }

  private current(req: RunV1Request): Json {
    const found = this.run.stored(v2Name(req));
    if (!found) throw runNotFound(req.project, req.region, req.service as string);
    return found;
  }

  private list(req: RunV1Request): Json {
    const prefix = req.region === '-' ? `projects/${req.project}/locations/` : `projects/${req.project}/locations/${req.region}/services/`;
    const items = this.run
      .names()
      .filter((name) => name.startsWith(prefix))
      .map((name) => this.view(this.run.stored(name) as Json, req.project, name.split('/')[3] as string));
    return { apiVersion: 'serving.knative.dev/v1', kind: 'ServiceList', items, metadata: {} };
  }

  /** The v2 service as a Knative Service (recorded GET/PUT/list responses give the shape). */
  view(service: Json, project: string, region: string): Json {
    const name = String(service.name).split('/').pop() as string;
    const namespace = projectNumber(project);
    const ingress = V1_INGRESS[String(service.ingress)] ?? 'all';
    const ready = service.reconciling !== true;
    const condition = (type: string): Json => ({ type, status: ready ? 'True' : 'Unknown', lastTransitionTime: service.updateTime });
    const short = (revision: unknown): string | undefined => (typeof revision === 'string' ? revision.split('/').pop() : undefined);
    return {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: {
        name,
        namespace,
        selfLink: `/apis/serving.knative.dev/v1/namespaces/${namespace}/services/${name}`,
        uid: service.uid,
        resourceVersion: resourceVersion(service),
        generation: Number(service.generation),
        creationTimestamp: service.createTime,
        labels: { ...((service.labels as Json | undefined) ?? {}), 'cloud.googleapis.com/location': region },
        annotations: {
          ...((service.annotations as Json | undefined) ?? {}),
          'serving.knative.dev/creator': service.creator,
          'serving.knative.dev/lastModifier': service.lastModifier,
          [INGRESS_ANNOTATION]: ingress,
          [INGRESS_STATUS_ANNOTATION]: ingress,
        },
      },
      spec: { template: v1Template(service.template as Json | undefined), traffic: [{ percent: 100, latestRevision: true }] },
      status: {
        observedGeneration: Number(service.observedGeneration),
        conditions: [condition('Ready'), condition('ConfigurationsReady'), condition('RoutesReady')],
        latestCreatedRevisionName: short(service.latestCreatedRevision),
        latestReadyRevisionName: short(service.latestReadyRevision),
        traffic: [{ revisionName: short(service.latestReadyRevision), percent: 100, latestRevision: true }],
        url: service.uri,
        address: { url: service.uri },
      },
    };
  }

  /** replaceService: the whole Service as the caller wants it, on the current resourceVersion. */
  private replace(req: RunV1Request): Json {
    const methodName = 'google.cloud.run.v1.Services.ReplaceService';
    const name = v2Name(req);
    const service = req.service as string;
    const audit = { methodName, project: req.project, region: req.region, service, ctx: req.ctx, body: req.body };
    try {
      const rejection = this.core.faults.rejection(methodName, 'run.services.update', name);
      if (rejection) throw rejection;
      const before = this.current(req);
      const after = this.merge(before, req.body, service);
      const committed = this.run.commit(name, before, after, req.ctx.principal);
      recordMutation(this.core, 'run', methodName, name, req.ctx);
      const response = this.view(committed, req.project, req.region);
      this.auditEntry(audit, { response: { '@type': 'type.googleapis.com/google.cloud.run.v1.Service', ...clone(response) } });
      afterOperationDelay(this.core, () => {
        const ready = this.run.markReady(name);
        if (ready) this.systemEvent(req.project, req.region, service, this.view(ready, req.project, req.region));
      });
      return response;
    } catch (err) {
      if (err instanceof GoogleApiError) this.auditEntry(audit, { status: { code: err.rpcCode, message: err.message } });
      throw err;
    }
  }

  /** The v2 service after a v1 replace of `before` with `body` (checked as Cloud Run does). */
  private merge(before: Json, body: Json, service: string): Json {
    const metadata = (body.metadata ?? {}) as Json;
    if (metadata.name !== undefined && metadata.name !== service)
      throw invalid(`metadata.name '${String(metadata.name)}' does not match the service '${service}' in the URL.`);
    const given = metadata.resourceVersion;
    if (given !== undefined && given !== resourceVersion(before)) {
      throw new GoogleApiError(
        409,
        'ABORTED',
        `Conflict for resource '${service}': version '${String(given)}' was specified but current version is '${resourceVersion(before)}'.`,
        'aborted',
      );
    }
    const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
    const ingress = annotations[INGRESS_ANNOTATION] ?? 'all';
    if (typeof ingress !== 'string' || !V2_INGRESS[ingress]) {
      throw invalid(
        `Invalid value '${String(ingress)}' for annotation '${INGRESS_ANNOTATION}': must be one of all, internal, internal-and-cloud-load-balancing.`,
      );
    }
    const after = clone(before);
    after.ingress = V2_INGRESS[ingress];
    after.annotations = Object.fromEntries(Object.entries(annotations).filter(([key]) => !SYSTEM_ANNOTATION.test(key)));
    after.labels = Object.fromEntries(
      Object.entries((metadata.labels ?? {}) as Json).filter(([key]) => key !== 'cloud.googleapis.com/location'),
    );
    const spec = (body.spec ?? {}) as Json;
    const template = spec.template as Json | undefined;
    if (template && !sameTemplate(template, v1Template(before.template as Json | undefined))) {
      const revision = ((template.metadata ?? {}) as Json).name;
      const current = String(before.latestCreatedRevision ?? '')
        .split('/')
        .pop();
      if (revision !== undefined && revision === current) {
        throw new GoogleApiError(
          409,
          'ALREADY_EXISTS',
          `Revision named '${revision}' with different configuration already exists.`,
          'alreadyExists',
        );
      }
      after.template = v2Template(template, before.template as Json | undefined);
    }
    return after;
  }

  private auditEntry(
    a: { methodName: string; project: string; region: string; service: string; ctx: CallContext; body: Json },
    extra: { response?: Json; status?: { code: number; message: string } },
  ): void {
    this.core.audit.write({
      serviceName: 'run.googleapis.com',
      methodName: a.methodName,
      resourceName: `namespaces/${a.project}/services/${a.service}`,
      project: a.project,
      region: a.region,
      principal: a.ctx.principal,
      permission: 'run.services.update',
      request: {
        '@type': 'type.googleapis.com/google.cloud.run.v1.ReplaceServiceRequest',
        name: `projects/${a.project}/locations/${a.region}/services/${a.service}`,
        region: a.region,
        service: clone(a.body),
      },
      ...extra,
      resource: runResource(a.project, a.region, a.service),
      callerIp: a.ctx.callerIp,
      userAgent: a.ctx.userAgent,
    });
  }

  /** The rollout's completion, as Cloud Run logs it: system_event, no principal, INFO. */
  private systemEvent(project: string, region: string, service: string, view: Json): void {
    const metadata = view.metadata as Json;
    (this.core.audit as AuditLog).writeSystemEvent({
      project,
      methodName: '/Services.ReplaceService',
      resourceName: `namespaces/${project}/services/${service}`,
      serviceName: 'run.googleapis.com',
      response: {
        '@type': 'type.googleapis.com/google.cloud.run.v1.Service',
        metadata: {
          name: metadata.name,
          namespace: metadata.namespace,
          annotations: {
            'serving.knative.dev/creator': (metadata.annotations as Json)['serving.knative.dev/creator'],
            'serving.knative.dev/lastModifier': (metadata.annotations as Json)['serving.knative.dev/lastModifier'],
          },
        },
        status: { url: (view.status as Json).url },
      },
      statusMessage: `Ready condition status changed to True for Service ${service}.`,
      resource: runResource(project, region, service),
    });
  }
}

function runResource(project: string, region: string, service: string): { type: string; labels: Record<string, string> } {
  return {
    type: 'cloud_run_revision',
    labels: { configuration_name: '', location: region, project_id: project, revision_name: '', service_name: service },
  };
}

const v2Name = (req: RunV1Request): string => `projects/${req.project}/locations/${req.region}/services/${req.service as string}`;

/** v1 metadata.resourceVersion: the v2 etag without its quotes (both change on every write). */
function resourceVersion(service: Json): string {
  return String(service.etag ?? '').replace(/"/g, '');
}

/** A stable 12-digit project number for a project id (v1 answers namespaces as numbers). */
export function projectNumber(project: string): string {
  if (/^\d+$/.test(project)) return project;
  const digest = createHash('sha256').update(project).digest();
  return String(100_000_000_000 + ((digest.readUInt32BE(0) * 1000 + (digest[4] as number)) % 900_000_000_000));
}

/** The v2 template as a Knative RevisionTemplate. */
function v1Template(template: Json | undefined): Json {
  const t = template ?? {};
  const containers = ((t.containers as Json[] | undefined) ?? []).map((c) => ({
    image: c.image,
    ports: [{ name: 'http1', containerPort: 8080 }],
  }));
  const annotations: Json = { ...((t.annotations as Json | undefined) ?? {}) };
  const vpc = t.vpcAccess as Json | undefined;
  if (vpc?.connector) annotations['run.googleapis.com/vpc-access-connector'] = vpc.connector;
  if (vpc?.egress)
    annotations['run.googleapis.com/vpc-access-egress'] = vpc.egress === 'ALL_TRAFFIC' ? 'all-traffic' : 'private-ranges-only';
  if (Array.isArray(vpc?.networkInterfaces) && vpc.networkInterfaces.length > 0)
    annotations['run.googleapis.com/network-interfaces'] = JSON.stringify(vpc.networkInterfaces);
  return {
    metadata: { annotations },
    spec: {
      containerConcurrency: t.maxInstanceRequestConcurrency ?? 80,
      timeoutSeconds: typeof t.timeout === 'string' ? Number.parseInt(t.timeout, 10) : 300,
      ...(t.serviceAccount ? { serviceAccountName: t.serviceAccount } : {}),
      containers,
    },
  };
}

/** A changed v1 template back into v2 words, keeping what v1 cannot say. */
function v2Template(template: Json, before: Json | undefined): Json {
  const spec = (template.spec ?? {}) as Json;
  const annotations = { ...(((template.metadata ?? {}) as Json).annotations as Json | undefined) };
  const out: Json = { ...clone(before ?? {}) };
  const containers = (spec.containers as Json[] | undefined) ?? [];
  if (containers.length > 0) out.containers = containers.map((c) => ({ image: c.image }));
  if (typeof spec.containerConcurrency === 'number') out.maxInstanceRequestConcurrency = spec.containerConcurrency;
  if (typeof spec.timeoutSeconds === 'number') out.timeout = `${spec.timeoutSeconds}s`;
  if (typeof spec.serviceAccountName === 'string') out.serviceAccount = spec.serviceAccountName;
  const connector = annotations['run.googleapis.com/vpc-access-connector'];
  const nics = annotations['run.googleapis.com/network-interfaces'];
  if (connector || nics) {
    out.vpcAccess = {
      ...(connector ? { connector } : {}),
      egress: annotations['run.googleapis.com/vpc-access-egress'] === 'all-traffic' ? 'ALL_TRAFFIC' : 'PRIVATE_RANGES_ONLY',
      ...(typeof nics === 'string' ? { networkInterfaces: JSON.parse(nics) as unknown } : {}),
    };
  } else {
    delete out.vpcAccess;
  }
  const user = Object.fromEntries(Object.entries(annotations).filter(([key]) => !SYSTEM_ANNOTATION.test(key)));
  if (Object.keys(user).length > 0) out.annotations = user;
  else delete out.annotations;
  return out;
}

/** Templates equal but for what clients stamp on every call (client name/version, revision name). */
function sameTemplate(a: Json, b: Json): boolean {
  const normal = (t: Json): string => {
    const copy = clone(t);
    const metadata = (copy.metadata ?? {}) as Json;
    delete metadata.name;
    const annotations = (metadata.annotations ?? {}) as Json;
    for (const key of CLIENT_STAMPS) delete annotations[key];
    metadata.annotations = annotations;
    copy.metadata = metadata;
    return JSON.stringify(sortKeys(copy));
  };
  return normal(a) === normal(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Json)[k])]),
    );
  return value;
}

function notFoundUrl(req: RunV1Request): GoogleApiError {
  return new GoogleApiError(
    404,
    'NOT_FOUND',
    `The requested v1 call ${req.method} on namespace ${req.project} (${req.region}) was not found on the emulator.`,
    'notFound',
  );
}
