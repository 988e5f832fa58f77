// The Cloud Logging LogEntry and its Cloud Audit Logs payload, as they arrive on the wire (JSON,
// camelCase), reduced to the fields mesh-remediator reads. Everything is optional: entries come
// from outside and are checked field by field (decode-audit.ts), never trusted.

/** https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry */
export interface LogEntry {
  insertId?: string;
  logName?: string;
  timestamp?: string;
  receiveTimestamp?: string;
  severity?: string;
  resource?: MonitoredResource;
  labels?: Record<string, string>;
  operation?: LogEntryOperation;
  protoPayload?: AuditLog | { '@type'?: string };
  textPayload?: string;
  jsonPayload?: Record<string, unknown>;
}

/** https://cloud.google.com/logging/docs/reference/v2/rest/v2/MonitoredResource */
export interface MonitoredResource {
  type?: string;
  labels?: Record<string, string>;
}

/** https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry#LogEntryOperation */
export interface LogEntryOperation {
  id?: string;
  producer?: string;
  first?: boolean;
  last?: boolean;
}

export const AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';

/** https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog */
export interface AuditLog {
  '@type': typeof AUDIT_LOG_TYPE;
  serviceName?: string;
  methodName?: string;
  resourceName?: string;
  resourceLocation?: { currentLocations?: string[]; originalLocations?: string[] };
  authenticationInfo?: { principalEmail?: string };
  /** google.rpc.Status; absent or code 0 when the call succeeded. */
  status?: { code?: number; message?: string };
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Type predicate: looks like a LogEntry (every real one has a logName and an insertId; an entry
 * typed by hand may carry only a payload). Whether it is an *audit* entry is decode-audit's question.
 */
export function isLogEntry(value: unknown): value is LogEntry {
  return (
    isObject(value) &&
    (typeof value.logName === 'string' ||
      typeof value.insertId === 'string' ||
      isObject(value.protoPayload) ||
      isObject(value.jsonPayload) ||
      typeof value.textPayload === 'string')
  );
}

export function isAuditLog(payload: unknown): payload is AuditLog {
  return isObject(payload) && payload['@type'] === AUDIT_LOG_TYPE;
}
