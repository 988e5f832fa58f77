// The HTTP front: one node:http server for both APIs and the admin endpoints. It reads the
// caller (principal from `Authorization: Bearer principal:<email>`), counts requests per API,
// applies per-call latency and transient faults, routes, and writes Google's error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ComputeApi } from './compute';
import { applyFieldMask, requestedFields } from './field-mask';
import type { CallContext, Core } from './core';
import { sleep } from './core';
import { GoogleApiError } from './google-error';
import type { Json } from './json';
import type { QuotaControl, QuotaSettings } from './quotas';
import type { RequestCounts } from './request-counts';
import type { SeedMesh } from './seed';
import type { RequestRates } from './request-rates';
import { RunApi } from './run';
import { RunV1Api } from './run-v1';
import { StorageApi, type StorageReply } from './storage';

export interface Surfaces {
  core: Core;
  compute: ComputeApi;
  run: RunApi;
  runV1: RunV1Api;
  storage: StorageApi;
  rates: RequestRates;
  counts: RequestCounts;
  quotas: QuotaControl;
  defaultPrincipal: string;
  seed(mesh: SeedMesh): void;
  reset(): void;
  state(): Json;
}

type Reply = StorageReply;

export function requestHandler(s: Surfaces): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void respond(s, req)
      .catch((err: unknown): Reply => {
        if (err instanceof GoogleApiError) return { status: err.httpStatus, body: isRun(req) ? err.runBody() : err.computeBody() };
        return { status: 500, body: { error: { code: 500, message: `emulator: ${(err as Error).message}`, status: 'INTERNAL' } } };
      })
      .then((reply) => {
        if ('media' in reply) {
          res.writeHead(reply.status, { 'content-type': 'application/octet-stream', 'content-length': reply.media.length });
          res.end(reply.media);
          return;
        }
        const text = JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
  };
}

/** Cloud Run answers One Platform error bodies (v1 and v2); Compute its legacy ones. */
const isRun = (req: IncomingMessage): boolean => /^(https?:\/\/[^/]+)?\/(v2|v1|apis)\//.test(req.url ?? '');

async function respond(s: Surfaces, req: IncomingMessage): Promise<Reply> {
  const { hostname, target } = requestTarget(req);
  const url = new URL(target, 'http://emulator');
  const method = req.method ?? 'GET';
  const body = await readJson(req);
  const path = decodeURIComponent(url.pathname);
  if (path.startsWith('/admin/')) return admin(s, method, path, body);
  if (StorageApi.serves(path)) return s.storage.handle(method, path, url.searchParams);
  const ctx = callContext(req, s.defaultPrincipal);
  const fields = requestedFields(url.searchParams, req.headers['x-goog-fieldmask']);
  if (fields) {
    const reply = await route(s, method, path, url, hostname, body, ctx);
    return reply.status < 300 ? { ...reply, body: applyFieldMask(reply.body, fields) as Json } : reply;
  }
  return route(s, method, path, url, hostname, body, ctx);
}

async function route(
  s: Surfaces,
  method: string,
  path: string,
  url: URL,
  hostname: string,
  body: Json,
  ctx: CallContext,
): Promise<{ status: number; body: Json }> {
  const compute = /^\/compute\/(v1|beta)\/(.*)$/.exec(path);
  if (compute) {
    const request = {
      method,
      segments: (compute[2] as string).split('/').filter(Boolean),
      version: compute[1] as 'v1' | 'beta',
      query: url.searchParams,
      body,
      ctx,
    };
    await beforeCall(s, 'compute', ComputeApi.methodName(request), request.segments);
    return s.compute.handle(request);
  }
  if (path.startsWith('/v2/')) {
    const request = { method, segments: path.slice(4).split('/').filter(Boolean), query: url.searchParams, body, ctx };
    await beforeCall(s, 'run', RunApi.methodName(request), request.segments);
    return s.run.handle(request);
  }
  const v1 = runV1Route(path, hostname);
  if (v1) {
    const request = { ...v1, method, body, ctx };
    await beforeCall(s, 'run', RunV1Api.methodName(request), ['projects', v1.project, 'locations', v1.region]);
    return s.runV1.handle(request);
  }
  throw new GoogleApiError(404, 'NOT_FOUND', `The requested URL ${path} was not found on the emulator.`, 'notFound');
}

/**
 * The host asked for and the origin-form target. As gcloud's HTTP proxy the request line is
 * absolute (GET http://asia-northeast1-127.0.0.1:P/apis/...); WHATWG URL refuses such a host (its
 * last label is numeric), so the split is by hand.
 */
function requestTarget(req: IncomingMessage): { hostname: string; target: string } {
  const raw = req.url ?? '/';
  const absolute = /^https?:\/\/([^/?#]*)(.*)$/.exec(raw);
  const host = absolute ? (absolute[1] as string) : (req.headers.host ?? '');
  return { hostname: host.replace(/:\d+$/, ''), target: absolute ? absolute[2] || '/' : raw };
}

/**
 * Cloud Run v1 paths: the Knative form on a regional host (gcloud prefixes the region to the
 * endpoint's host: asia-northeast1-run.googleapis.com, or asia-northeast1-127.0.0.1 through the
 * proxy), or the projects/locations form.
 */
function runV1Route(path: string, hostname: string): { project: string; region: string; service?: string } | undefined {
  const knative = /^\/apis\/serving\.knative\.dev\/v1\/namespaces\/([^/]+)\/services(?:\/([^/]+))?$/.exec(path);
  if (knative) {
    const region = /^([a-z]+-[a-z]+\d+)-/.exec(hostname)?.[1];
    if (!region)
      throw new GoogleApiError(
        404,
        'NOT_FOUND',
        `Cloud Run v1 namespaces are served on regional endpoints ({region}-run.googleapis.com); ${hostname} names no region.`,
        'notFound',
      );
    return { project: knative[1] as string, region, ...(knative[2] ? { service: knative[2] } : {}) };
  }
  const located = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/services(?:\/([^/]+))?$/.exec(path);
  if (located) return { project: located[1] as string, region: located[2] as string, ...(located[3] ? { service: located[3] } : {}) };
  return undefined;
}

/**
 * Rate and request accounting, injected latency, the project's quota, then injected transient
 * errors (none of these leave an audit entry). Segments: projects/P/{regions|locations}/R/...
 */
async function beforeCall(s: Surfaces, api: 'run' | 'compute', methodName: string, segments: string[]): Promise<void> {
  s.rates.record(api);
  const project = segments[1] ?? '';
  const { latencyMs } = s.core.faults.settings;
  if (latencyMs > 0) await sleep(latencyMs);
  try {
    s.quotas.charge(api, methodName, project, segments[3] ?? '');
  } catch (refusal) {
    s.counts.record(project, api, methodName, true);
    throw refusal;
  }
  s.counts.record(project, api, methodName);
  const fault = s.core.faults.transientError(methodName);
  if (fault) throw fault;
}

function admin(s: Surfaces, method: string, path: string, body: Json): Reply {
  const route = `${method} ${path}`;
  try {
    switch (route) {
      case 'GET /admin/faults':
        return { status: 200, body: { ...s.core.faults.settings } };
      case 'POST /admin/faults':
        return { status: 200, body: { ...s.core.faults.set(body) } };
      case 'GET /admin/audit':
        return { status: 200, body: { entries: s.core.audit.entries, deliveryErrors: s.core.audit.deliveryErrors } };
      case 'POST /admin/reset':
        s.reset();
        return { status: 200, body: s.state() };
      case 'GET /admin/state':
        return { status: 200, body: s.state() };
      case 'GET /admin/requests':
        return { status: 200, body: s.counts.toJson() };
      case 'GET /admin/quotas':
        return { status: 200, body: { ...s.quotas.settings } };
      case 'POST /admin/quotas':
        return { status: 200, body: { ...s.quotas.set(body as Partial<QuotaSettings>) } };
      case 'POST /admin/seed':
        s.seed(body as SeedMesh);
        return { status: 200, body: s.state() };
    }
  } catch (err) {
    return { status: 400, body: { error: { code: 400, message: (err as Error).message, status: 'INVALID_ARGUMENT' } } };
  }
  return {
    status: 404,
    body: {
      error: {
        code: 404,
        message: `no admin endpoint ${route}; try GET|POST /admin/faults, GET|POST /admin/quotas, GET /admin/requests, GET /admin/audit, GET /admin/state, POST /admin/reset, POST /admin/seed`,
        status: 'NOT_FOUND',
      },
    },
  };
}

/** `Bearer principal:alice@example.com` names the caller; anything else is the default user. */
export function callContext(req: IncomingMessage, defaultPrincipal: string): CallContext {
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer\s+principal:(\S+)$/i.exec(auth);
  return {
    principal: m ? (m[1] as string) : defaultPrincipal,
    callerIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: String(req.headers['user-agent'] ?? ''),
  };
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    // The compute client's `wait` posts the JSON string "" as its body: no fields.
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : {};
  } catch {
    // not JSON
  }
  throw new GoogleApiError(400, 'INVALID_ARGUMENT', `Invalid JSON payload received: ${text.slice(0, 80)}`, 'parseError');
}
