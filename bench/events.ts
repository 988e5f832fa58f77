// Real-shaped audit entries for the bench (a LogEntry per change), in the envelopes the function
// receives: the test kit's (test/support/envelopes.ts) Eventarc CloudEvents, sent over HTTP in
// binary mode (ce-* headers + data body).
import { auditLogWritten as auditEvent, binaryMode, messagePublished, type CloudEvent } from '../test/support/envelopes';
import type { HttpRequest } from './function-process';

export { binaryMode, type CloudEvent as CloudEventShape };

export interface AuditEntrySpec {
  insertId: string;
  serviceName: string;
  methodName: string;
  resourceName: string;
  principal?: string;
  timestamp?: string;
  statusCode?: number;
  /** Compute operation markers; `last: true` is the entry the function acts on. */
  operation?: { id: string; first?: boolean; last?: boolean };
  request?: Record<string, unknown>;
}

export function logEntry(spec: AuditEntrySpec): Record<string, unknown> {
  const timestamp = spec.timestamp ?? new Date().toISOString();
  const project = /projects\/([^/]+)/.exec(spec.resourceName)?.[1] ?? 'demo-project';
  return {
    insertId: spec.insertId,
    logName: `projects/${project}/logs/cloudaudit.googleapis.com%2Factivity`,
    ...(spec.operation ? { operation: { producer: spec.serviceName, ...spec.operation } } : {}),
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: spec.principal ?? 'alice@example.com' },
      methodName: spec.methodName,
      resourceName: spec.resourceName,
      serviceName: spec.serviceName,
      requestMetadata: { callerIp: '203.0.113.7', callerSuppliedUserAgent: 'google-cloud-sdk gcloud/528.0.0' },
      ...(spec.statusCode ? { status: { code: spec.statusCode, message: 'failed' } } : {}),
      ...(spec.request ? { request: spec.request } : {}),
    },
    receiveTimestamp: timestamp,
    resource: { type: 'audited_resource', labels: { project_id: project, service: spec.serviceName } },
    severity: 'NOTICE',
    timestamp,
  };
}

/** The Eventarc Pub/Sub trigger's CloudEvent, published when the entry was written. */
export function pubsubMessagePublished(entry: Record<string, unknown>, messageId: string): CloudEvent {
  return messagePublished(entry, messageId, String(entry.timestamp ?? new Date().toISOString()));
}

/** The Eventarc audit-log trigger's CloudEvent: the LogEntry itself as data. */
export function auditLogWritten(entry: Record<string, unknown>): CloudEvent {
  return auditEvent(entry, String(entry.insertId));
}

const IRRELEVANT: Array<Omit<AuditEntrySpec, 'insertId'>> = [
  {
    serviceName: 'storage.googleapis.com',
    methodName: 'storage.objects.create',
    resourceName: 'projects/_/buckets/demo-logs/objects/2026/11/25/a.json',
  },
  { serviceName: 'storage.googleapis.com', methodName: 'storage.buckets.update', resourceName: 'projects/_/buckets/demo-assets' },
  {
    serviceName: 'bigquery.googleapis.com',
    methodName: 'google.cloud.bigquery.v2.JobService.InsertJob',
    resourceName: 'projects/demo-project/jobs/bqjob_r1',
  },
  {
    serviceName: 'iam.googleapis.com',
    methodName: 'google.iam.admin.v1.CreateServiceAccountKey',
    resourceName: 'projects/-/serviceAccounts/123456789012',
  },
  { serviceName: 'cloudresourcemanager.googleapis.com', methodName: 'SetIamPolicy', resourceName: 'projects/demo-project' },
  {
    serviceName: 'compute.googleapis.com',
    methodName: 'v1.compute.instances.insert',
    resourceName: 'projects/demo-project/zones/asia-northeast1-a/instances/vm-1',
    operation: { id: 'operation-vm-1', last: true },
  },
  {
    serviceName: 'compute.googleapis.com',
    methodName: 'v1.compute.firewalls.patch',
    resourceName: 'projects/demo-project/global/firewalls/allow-ssh',
    operation: { id: 'operation-fw-1', last: true },
  },
  {
    serviceName: 'pubsub.googleapis.com',
    methodName: 'google.pubsub.v1.Publisher.CreateTopic',
    resourceName: 'projects/demo-project/topics/other',
  },
  {
    serviceName: 'secretmanager.googleapis.com',
    methodName: 'google.cloud.secretmanager.v1.SecretManagerService.AddSecretVersion',
    resourceName: 'projects/demo-project/secrets/db-password',
  },
];

/** The `n`-th irrelevant audit entry: a rotation over services no declared mesh concerns. */
export function irrelevantEntry(n: number): Record<string, unknown> {
  const spec = IRRELEVANT[n % IRRELEVANT.length] as Omit<AuditEntrySpec, 'insertId'>;
  return logEntry({ ...spec, insertId: `irrelevant-${n}` });
}

/** The first irrelevant entry: a Cloud Storage object write, the commonest audit event of all. */
export function storageWriteEvent(): HttpRequest {
  return binaryMode(pubsubMessagePublished(irrelevantEntry(0), '9000000000000001'));
}

/** Someone opens a declared service to the internet (Cloud Run v2 UpdateService, ingress ALL). */
export function ingressOpenedEntry(
  service: { project: string; region: string; service: string },
  n: number,
  timestamp?: string,
): Record<string, unknown> {
  const name = `projects/${service.project}/locations/${service.region}/services/${service.service}`;
  return logEntry({
    insertId: `ingress-opened-${n}`,
    serviceName: 'run.googleapis.com',
    methodName: 'google.cloud.run.v2.Services.UpdateService',
    resourceName: name,
    principal: 'alice@example.com',
    ...(timestamp ? { timestamp } : {}),
    request: { '@type': 'type.googleapis.com/google.cloud.run.v2.UpdateServiceRequest', service: { name, ingress: 'INGRESS_TRAFFIC_ALL' } },
  });
}
