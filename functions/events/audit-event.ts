// An audit-log entry reduced to what routing needs. Only a hint of *which* declared service to
// look at (README: level-triggered): nothing here is trusted as state.
import type { ResourceKind } from '../config/mesh';

/** What the entry's resourceName points at. */
export type AuditTarget =
  | { kind: 'runService'; project: string; region?: string; service: string }
  | { kind: ResourceKind; project: string; region: string; name: string };

export interface AuditEvent {
  insertId: string;
  /** e.g. google.cloud.run.v2.Services.UpdateService, beta.compute.regionUrlMaps.patch */
  methodName: string;
  api: 'run' | 'compute';
  /** The verb at the end of methodName: UpdateService, ReplaceService, insert, delete, setTarget, ... */
  verb: string;
  target: AuditTarget;
  principal?: string;
  /** LogEntry timestamp (RFC 3339) */
  timestamp?: string;
  /** Compute long-running operation markers. */
  operation?: { id: string; first: boolean; last: boolean };
  /** protoPayload.status.code when non-zero: the call failed and changed nothing. */
  statusCode?: number;
  /** The ingress the caller asked for, when the request says (a hint for notifications only). */
  requestedIngress?: string;
}

/** Why an entry did not lead to a reconcile; each has its own counter. */
export type SkipReason =
  | 'malformed'
  | 'not-audit-log'
  | 'unhandled-method'
  | 'failed-call'
  | 'operation-first'
  | 'duplicate-operation'
  | 'own-principal'
  | 'ignored-principal'
  | 'not-declared'
  /** a reconcile that began reading after this change already verified the declared state */
  | 'already-verified';
