// Audit LogEntries as Cloud Audit Logs writes them (dressed by the emulator's own auditEntry, so
// the shape is the one the emulator emits), for every method family the function must route:
// Cloud Run v1 and v2, compute v1 and beta for each of the six chain resources.
import { auditEntry, type LogEntry } from '../../emulator/audit';
import type { Json } from '../../emulator/json';
import { COLLECTION, RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../../../functions/config/mesh';

/** The collection as audit methodNames spell it (regional ones carry a `region` prefix). */
const AUDIT_COLLECTION: Record<ResourceKind, string> = {
  address: 'addresses',
  neg: 'regionNetworkEndpointGroups',
  backendService: 'regionBackendServices',
  urlMap: 'regionUrlMaps',
  targetProxy: 'regionTargetHttpProxies',
  forwardingRule: 'forwardingRules',
};

const VERBS: Record<ResourceKind, string[]> = {
  address: ['insert', 'delete', 'setLabels'],
  neg: ['insert', 'delete'],
  backendService: ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy'],
  urlMap: ['insert', 'delete', 'patch', 'update'],
  targetProxy: ['insert', 'delete', 'setUrlMap'],
  forwardingRule: ['insert', 'delete', 'patch', 'setTarget', 'setLabels'],
};

export interface EntrySpec {
  methodName: string;
  resourceName: string;
  principal: string;
  project: string;
  region: string;
  operation?: { id: string; first?: true; last?: true };
  /** non-zero: a failed call */
  statusCode?: number;
  request?: Json;
}

export function logEntry(spec: EntrySpec, insertId: string): LogEntry {
  const compute = !spec.methodName.startsWith('google.cloud.run');
  return auditEntry(
    {
      serviceName: compute ? 'compute.googleapis.com' : 'run.googleapis.com',
      methodName: spec.methodName,
      resourceName: spec.resourceName,
      project: spec.project,
      region: spec.region,
      principal: spec.principal,
      permission: compute ? 'compute.resources.update' : 'run.services.update',
      request: spec.request ?? { '@type': `type.googleapis.com/${spec.methodName}` },
      status: spec.statusCode ? { code: spec.statusCode, message: 'failed' } : undefined,
      operation: spec.operation,
      resource: { type: compute ? 'gce_resource' : 'cloud_run_revision', labels: { project_id: spec.project, location: spec.region } },
      callerIp: '203.0.113.9',
      userAgent: 'reliability-suite',
    },
    insertId,
    new Date(),
  );
}

export type Target = Pick<EntrySpec, 'methodName' | 'resourceName' | 'project' | 'region'>;

/** Every (method, resource) pair that touches one declared service: Run v1/v2, compute v1/beta. */
export function targetsOf(service: DeclaredService): Target[] {
  const { project, region } = service;
  const targets: Target[] = [];
  for (const verb of ['CreateService', 'UpdateService', 'DeleteService']) {
    targets.push({
      methodName: `google.cloud.run.v2.Services.${verb}`,
      resourceName: `projects/${project}/locations/${region}/services/${service.service}`,
      project,
      region,
    });
  }
  for (const verb of ['CreateService', 'ReplaceService', 'DeleteService']) {
    targets.push({
      methodName: `google.cloud.run.v1.Services.${verb}`,
      resourceName: `namespaces/${project}/services/${service.service}`,
      project,
      region,
    });
  }
  for (const kind of RESOURCE_KINDS) {
    const resourceName = `projects/${project}/regions/${region}/${COLLECTION[kind]}/${service.loadBalancer.names[kind]}`;
    for (const version of ['v1', 'beta']) {
      for (const verb of VERBS[kind])
        targets.push({ methodName: `${version}.compute.${AUDIT_COLLECTION[kind]}.${verb}`, resourceName, project, region });
    }
  }
  return targets;
}

/** The audit methodName a compute call on `kind` produces, e.g. v1.compute.regionUrlMaps.patch. */
export function computeMethod(kind: ResourceKind, verb: string): string {
  return `v1.compute.${AUDIT_COLLECTION[kind]}.${verb}`;
}
