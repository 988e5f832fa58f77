// LogEntry → AuditEvent: which method, on which Cloud Run service or chain resource, by whom. Only
// a hint of where to look (README: level-triggered), so it reads names, never state. Entries this
// project does not act on come back as a Skip with the reason and a readable detail.
import { COLLECTION } from '../config/mesh';
import { observedIngress } from '../gcp/ingress';
import type { AuditEvent, AuditTarget, SkipReason } from './audit-event';
import { isAuditLog, isObject, type AuditLog, type LogEntry } from './log-entry';
import { handledMethod, type HandledMethod } from './methods';
import { isProjectNumber, parseComputeName, parseRunName } from './resource-names';

export interface Skip {
  skip: SkipReason;
  detail: string;
}

export function isSkip(value: AuditEvent | Skip): value is Skip {
  return 'skip' in value;
}

export function toAuditEvent(entry: LogEntry): AuditEvent | Skip {
  const payload = entry.protoPayload;
  if (!isAuditLog(payload)) {
    return {
      skip: 'not-audit-log',
      detail: `entry ${entry.insertId ?? '(no insertId)'} in ${entry.logName ?? '(no logName)'} has no AuditLog payload`,
    };
  }
  const methodName = payload.methodName;
  const method = typeof methodName === 'string' ? handledMethod(methodName) : undefined;
  if (!method) {
    return {
      skip: 'unhandled-method',
      detail: `${str(payload.serviceName) ?? '(no serviceName)'} ${str(methodName) ?? '(no methodName)'} is not a method mesh-remediator acts on`,
    };
  }
  const target = method.api === 'run' ? runTarget(entry, payload) : computeTarget(payload, method);
  if ('skip' in target) return target;

  const event: AuditEvent = {
    insertId: entry.insertId ?? '',
    methodName: methodName as string,
    api: method.api,
    verb: method.verb,
    target,
  };
  const principal = str(payload.authenticationInfo?.principalEmail);
  if (principal) event.principal = principal;
  if (typeof entry.timestamp === 'string') event.timestamp = entry.timestamp;
  const op = entry.operation;
  if (isObject(op) && typeof op.id === 'string') event.operation = { id: op.id, first: op.first === true, last: op.last === true };
  const code = isObject(payload.status) ? payload.status.code : undefined;
  if (typeof code === 'number' && code !== 0) event.statusCode = code;
  const ingress = method.api === 'run' ? requestedIngress(payload.request) : undefined;
  if (ingress) event.requestedIngress = ingress;
  return event;
}

// --- Cloud Run -------------------------------------------------------------------------------

/**
 * The resourceName says which service was acted on; when it is not a service name, the request's
 * name (or parent + serviceId) does. v1 names carry no region: it comes from the request's v2-style
 * name, the request's region, the resource labels or the resource location, in that order. A
 * project number (v1 namespaces may be one) is replaced by the resource label project_id.
 */
function runTarget(entry: LogEntry, payload: AuditLog): AuditTarget | Skip {
  const request = isObject(payload.request) ? payload.request : {};
  const requestService = isObject(request.service) ? request.service : {};
  const labels = isObject(entry.resource?.labels) ? entry.resource.labels : {};
  const created =
    typeof request.parent === 'string' && typeof request.serviceId === 'string'
      ? `${request.parent}/services/${request.serviceId}`
      : undefined;
  const named = [payload.resourceName, request.name, requestService.name, created].map(parseRunName).filter((n) => n !== undefined);
  const primary = named[0];
  if (!primary) {
    return {
      skip: 'malformed',
      detail: `Cloud Run resourceName ${JSON.stringify(payload.resourceName)} is neither projects/P/locations/R/services/S nor namespaces/P/services/S`,
    };
  }
  const { service } = primary;
  let { project } = primary;
  const region =
    primary.region ??
    named.find((n) => n.region && n.service === service)?.region ??
    str(request.region) ??
    str(labels.location) ??
    str(payload.resourceLocation?.currentLocations?.[0]);
  if (isProjectNumber(project) && typeof labels.project_id === 'string') project = labels.project_id;
  return region ? { kind: 'runService', project, region, service } : { kind: 'runService', project, service };
}

/** v1 annotation run.googleapis.com/ingress, or v2 request.service.ingress (string or int enum), in v1 words. */
function requestedIngress(request: unknown): string | undefined {
  if (!isObject(request) || !isObject(request.service)) return undefined;
  const service = request.service;
  const metadata = isObject(service.metadata) ? service.metadata : undefined;
  const annotations = metadata && isObject(metadata.annotations) ? metadata.annotations : undefined;
  const v1 = annotations?.['run.googleapis.com/ingress'];
  if (typeof v1 === 'string') return v1;
  const v2 = service.ingress;
  if (typeof v2 === 'number' || typeof v2 === 'string') return observedIngress(v2) ?? String(v2);
  return undefined;
}

// --- Compute ---------------------------------------------------------------------------------

/** Global and zonal resources are never part of a declared (regional) chain. */
function computeTarget(payload: AuditLog, method: Extract<HandledMethod, { api: 'compute' }>): AuditTarget | Skip {
  const parsed = parseComputeName(str(payload.resourceName) ?? '', method.kind);
  if (parsed?.scope === 'regional') return { kind: method.kind, project: parsed.project, region: parsed.region, name: parsed.name };
  if (parsed) return { skip: 'not-declared', detail: `${parsed.path} is a ${parsed.scope} resource; declared chains are regional` };
  return {
    skip: 'malformed',
    detail: `compute resourceName ${JSON.stringify(payload.resourceName)} is not projects/P/regions/R/${COLLECTION[method.kind]}/NAME`,
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
