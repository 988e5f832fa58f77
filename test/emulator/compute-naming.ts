// How Compute calls are named in audit entries and IAM: methodName verbs, permissions, the
// request's @type and the LogEntry resource (docs/google-behaviour.md, "Audit logs").
import { COLLECTIONS, type Collection } from './compute-collections';
import type { CallContext } from './core';
import { clone, type Json } from './json';

export interface AuditContext {
  methodName: string;
  project: string;
  region: string;
  path: string;
  collection: Collection;
  verb: string;
  ctx: CallContext;
  request: Json;
}

export function auditResource(a: AuditContext, id: string): { type: string; labels: Record<string, string> } {
  const spec = COLLECTIONS[a.collection];
  return { type: spec.resourceType, labels: { [spec.idLabel]: id, project_id: a.project, [spec.locationLabel]: a.region } };
}

export function auditRequest(methodName: string, body: Json, requestId: string | null): Json {
  const request: Json = { '@type': `type.googleapis.com/${methodName.slice(methodName.indexOf('compute.'))}`, ...clone(body) };
  if (requestId) request.requestId = requestId;
  return request;
}

/** IAM permission Compute checks for a verb (insert → create; internal addresses → createInternal). */
export function permissionOf(auditCollection: string, verb: string, body: Json): string {
  if (verb === 'insert')
    return `compute.${auditCollection}.${auditCollection === 'addresses' && body.addressType === 'INTERNAL' ? 'createInternal' : 'create'}`;
  if (verb === 'patch') return `compute.${auditCollection}.update`;
  return `compute.${auditCollection}.${verb}`;
}

export function verbOf(method: string, name: string | undefined, verb: string | undefined): string {
  if (verb) return verb;
  if (method === 'GET') return name === undefined ? 'list' : 'get';
  if (method === 'POST') return name === undefined ? 'insert' : 'unknown';
  return { DELETE: 'delete', PATCH: 'patch', PUT: 'update' }[method] ?? 'unknown';
}

/** As resourceInUse messages name them: network_endpoint_group, backend_service, ... */
export function singular(collection: Collection): string {
  const snake = COLLECTIONS[collection].kind.slice('compute#'.length).replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
  return snake;
}
