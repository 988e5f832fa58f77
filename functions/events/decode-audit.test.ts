import type { ResourceKind } from '../config/mesh';
import { computeEntry, fixture, FIXTURES, runEntry } from '../../test/fixtures/events';
import type { AuditEvent } from './audit-event';
import { isSkip, toAuditEvent, type Skip } from './decode-audit';
import type { LogEntry } from './log-entry';

function event(entry: LogEntry): AuditEvent {
  const result = toAuditEvent(entry);
  if (isSkip(result)) throw new Error(`unexpected skip: ${result.skip}: ${result.detail}`);
  return result;
}
function skipped(entry: LogEntry): Skip {
  const result = toAuditEvent(entry);
  if (!isSkip(result)) throw new Error(`expected a skip, got ${JSON.stringify(result)}`);
  return result;
}

/** A compute entry like the fixture, for another method and resource. */
function computeCall(methodName: string, resourceName: string, operation: LogEntry['operation'] = { id: 'op-1', last: true }): LogEntry {
  const entry = computeEntry();
  entry.protoPayload.methodName = methodName;
  entry.protoPayload.resourceName = resourceName;
  entry.operation = operation;
  return entry;
}

/** A Cloud Run v2 entry as the v2 API writes it. */
function runV2Call(
  verb: string,
  request: Record<string, unknown>,
  resourceName = 'projects/demo-project/locations/asia-northeast1/services/server-service',
): LogEntry {
  return {
    insertId: 'v2-1',
    logName: 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity',
    timestamp: '2026-11-25T11:00:00Z',
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      serviceName: 'run.googleapis.com',
      methodName: `google.cloud.run.v2.Services.${verb}`,
      resourceName,
      authenticationInfo: { principalEmail: 'carol@example.com' },
      request: { '@type': `type.googleapis.com/google.cloud.run.v2.${verb}Request`, ...request },
    },
    resource: {
      type: 'cloud_run_revision',
      labels: { project_id: 'demo-project', location: 'asia-northeast1', service_name: 'server-service' },
    },
  };
}

describe('toAuditEvent: Cloud Run v1', () => {
  it('decodes the ReplaceService fixture: target, principal, time and the requested ingress', () => {
    expect(event(runEntry())).toEqual({
      insertId: 'qd23mgd4u3f',
      methodName: 'google.cloud.run.v1.Services.ReplaceService',
      api: 'run',
      verb: 'ReplaceService',
      target: { kind: 'runService', project: 'demo-project', region: 'asia-northeast1', service: 'server-service' },
      principal: 'alice@example.com',
      timestamp: '2026-11-25T10:00:00.050Z',
      requestedIngress: 'all',
    });
  });

  it.each(['CreateService', 'ReplaceService', 'DeleteService'])('decodes v1 %s', (verb) => {
    const entry = runEntry();
    entry.protoPayload.methodName = `google.cloud.run.v1.Services.${verb}`;
    expect(event(entry)).toMatchObject({ api: 'run', verb, target: { kind: 'runService', service: 'server-service' } });
  });

  it('finds the region in request.name, then request.region, then resource labels, then resource location', () => {
    const entry = runEntry();
    entry.protoPayload.request.name = 'projects/demo-project/locations/europe-west1/services/server-service';
    expect(event(entry).target).toMatchObject({ region: 'europe-west1' });
    delete entry.protoPayload.request.name;
    entry.protoPayload.request.region = 'us-east1';
    expect(event(entry).target).toMatchObject({ region: 'us-east1' });
    delete entry.protoPayload.request.region;
    entry.resource.labels.location = 'us-west1';
    expect(event(entry).target).toMatchObject({ region: 'us-west1' });
    delete entry.resource.labels.location;
    entry.protoPayload.resourceLocation.currentLocations = ['asia-east1'];
    expect(event(entry).target).toMatchObject({ region: 'asia-east1' });
    delete entry.protoPayload.resourceLocation;
    expect(event(entry).target).toEqual({ kind: 'runService', project: 'demo-project', service: 'server-service' });
  });

  it('names the project by ID when the namespace is the project number', () => {
    const entry = runEntry();
    entry.protoPayload.resourceName = 'namespaces/123456789012/services/server-service';
    expect(event(entry).target).toMatchObject({ project: 'demo-project', service: 'server-service' });
  });

  it('takes the service from the resourceName, not from a request naming another', () => {
    const entry = runEntry();
    entry.protoPayload.request.name = 'projects/demo-project/locations/europe-west1/services/other';
    expect(event(entry).target).toEqual({
      kind: 'runService',
      project: 'demo-project',
      region: 'asia-northeast1',
      service: 'server-service',
    });
  });

  it('reports a resourceName that names no service as malformed', () => {
    const entry = runEntry();
    entry.protoPayload.resourceName = 'projects/demo-project';
    delete entry.protoPayload.request.name;
    expect(skipped(entry)).toEqual({
      skip: 'malformed',
      detail: 'Cloud Run resourceName "projects/demo-project" is neither projects/P/locations/R/services/S nor namespaces/P/services/S',
    });
  });
});

describe('toAuditEvent: Cloud Run v2', () => {
  it('decodes UpdateService with a string ingress enum', () => {
    const entry = runV2Call('UpdateService', {
      service: { name: 'projects/demo-project/locations/asia-northeast1/services/server-service', ingress: 'INGRESS_TRAFFIC_ALL' },
      updateMask: 'ingress',
    });
    expect(event(entry)).toEqual({
      insertId: 'v2-1',
      methodName: 'google.cloud.run.v2.Services.UpdateService',
      api: 'run',
      verb: 'UpdateService',
      target: { kind: 'runService', project: 'demo-project', region: 'asia-northeast1', service: 'server-service' },
      principal: 'carol@example.com',
      timestamp: '2026-11-25T11:00:00Z',
      requestedIngress: 'all',
    });
  });

  it.each([
    [1, 'all'],
    [2, 'internal'],
    [3, 'internal-and-cloud-load-balancing'],
    [4, 'none'],
    [0, 'unspecified'],
    ['INGRESS_TRAFFIC_INTERNAL_ONLY', 'internal'],
    ['INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', 'internal-and-cloud-load-balancing'],
  ])('reads ingress %p as %s', (raw, words) => {
    expect(event(runV2Call('UpdateService', { service: { ingress: raw } })).requestedIngress).toBe(words);
  });

  it('decodes CreateService (named by parent + serviceId when the resourceName is the parent) and DeleteService', () => {
    const create = runV2Call(
      'CreateService',
      { parent: 'projects/demo-project/locations/asia-northeast1', serviceId: 'server-service', service: {} },
      'projects/demo-project/locations/asia-northeast1',
    );
    expect(event(create)).toMatchObject({
      verb: 'CreateService',
      target: { kind: 'runService', project: 'demo-project', region: 'asia-northeast1', service: 'server-service' },
    });
    expect(event(create).requestedIngress).toBeUndefined();
    const del = runV2Call('DeleteService', { name: 'projects/demo-project/locations/asia-northeast1/services/server-service' });
    expect(event(del)).toMatchObject({ verb: 'DeleteService', target: { service: 'server-service' } });
  });
});

// Independent of methods.ts: which kind each methodName collection holds, and its REST collection.
const COLLECTIONS: [string, ResourceKind, string, string[]][] = [
  ['addresses', 'address', 'addresses', ['insert', 'delete', 'setLabels', 'move']],
  ['regionNetworkEndpointGroups', 'neg', 'networkEndpointGroups', ['insert', 'delete']],
  ['networkEndpointGroups', 'neg', 'networkEndpointGroups', ['insert', 'delete']],
  ['regionBackendServices', 'backendService', 'backendServices', ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy']],
  ['backendServices', 'backendService', 'backendServices', ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy']],
  ['regionUrlMaps', 'urlMap', 'urlMaps', ['insert', 'delete', 'patch', 'update']],
  ['urlMaps', 'urlMap', 'urlMaps', ['insert', 'delete', 'patch', 'update']],
  ['regionTargetHttpProxies', 'targetProxy', 'targetHttpProxies', ['insert', 'delete', 'setUrlMap']],
  ['targetHttpProxies', 'targetProxy', 'targetHttpProxies', ['insert', 'delete', 'patch', 'setUrlMap']],
  ['forwardingRules', 'forwardingRule', 'forwardingRules', ['insert', 'delete', 'patch', 'setTarget', 'setLabels']],
];
const COMPUTE_CASES = ['v1', 'beta'].flatMap((version) =>
  COLLECTIONS.flatMap(([collection, kind, rest, verbs]) =>
    verbs.map((verb) => [`${version}.compute.${collection}.${verb}`, kind, rest, verb] as const),
  ),
);

describe('toAuditEvent: compute, v1 and beta, every kind and verb', () => {
  it.each(COMPUTE_CASES)('%s → %s', (methodName, kind, rest, verb) => {
    const result = event(computeCall(methodName, `projects/demo-project/regions/asia-northeast1/${rest}/some-name`));
    expect(result).toEqual({
      insertId: '-w3kq1edw8o3',
      methodName,
      api: 'compute',
      verb,
      target: { kind, project: 'demo-project', region: 'asia-northeast1', name: 'some-name' },
      principal: 'bob@example.com',
      timestamp: '2026-11-25T10:05:12.870Z',
      operation: { id: 'op-1', first: false, last: true },
    });
  });

  it('decodes both fixture entries, keeping the operation markers', () => {
    expect(event(fixture(FIXTURES.computeDeleteFirst)).operation).toEqual({
      id: 'operation-1764064800123-6441a2b3c4d5e-1a2b3c4d-5e6f7a8b',
      first: true,
      last: false,
    });
    expect(event(computeEntry()).target).toEqual({
      kind: 'forwardingRule',
      project: 'demo-project',
      region: 'asia-northeast1',
      name: 'internal-lb-frontend',
    });
  });

  it('tolerates a full URL as resourceName', () => {
    const url = 'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1/urlMaps/m';
    expect(event(computeCall('v1.compute.regionUrlMaps.patch', url)).target).toMatchObject({ kind: 'urlMap', name: 'm' });
  });

  it('skips global and zonal resources as outside the declaration', () => {
    expect(skipped(computeCall('v1.compute.urlMaps.delete', 'projects/demo-project/global/urlMaps/m'))).toEqual({
      skip: 'not-declared',
      detail: 'projects/demo-project/global/urlMaps/m is a global resource; declared chains are regional',
    });
    expect(
      skipped(
        computeCall('v1.compute.networkEndpointGroups.delete', 'projects/demo-project/zones/asia-northeast1-a/networkEndpointGroups/n'),
      ).skip,
    ).toBe('not-declared');
  });

  it('reports a resourceName of the wrong collection or shape as malformed', () => {
    expect(skipped(computeCall('v1.compute.forwardingRules.delete', 'projects/demo-project/regions/asia-northeast1/addresses/x'))).toEqual({
      skip: 'malformed',
      detail:
        'compute resourceName "projects/demo-project/regions/asia-northeast1/addresses/x" is not projects/P/regions/R/forwardingRules/NAME',
    });
    const entry = computeEntry();
    delete entry.protoPayload.resourceName;
    expect(skipped(entry).skip).toBe('malformed');
  });

  it('records a failed call by its status code, and ignores code 0', () => {
    const entry = computeEntry();
    entry.protoPayload.status = { code: 7, message: 'PERMISSION_DENIED' };
    expect(event(entry).statusCode).toBe(7);
    entry.protoPayload.status = { code: 0 };
    expect(event(entry).statusCode).toBeUndefined();
  });
});

describe('toAuditEvent: entries it does not act on', () => {
  it('skips entries without an AuditLog payload', () => {
    expect(skipped({ insertId: 'a', logName: 'projects/p/logs/run.googleapis.com%2Fstdout', textPayload: 'hello' })).toEqual({
      skip: 'not-audit-log',
      detail: 'entry a in projects/p/logs/run.googleapis.com%2Fstdout has no AuditLog payload',
    });
    expect(skipped({ insertId: 'b', protoPayload: { '@type': 'type.googleapis.com/google.appengine.logging.v1.RequestLog' } }).skip).toBe(
      'not-audit-log',
    );
  });

  it('skips methods it does not handle, naming them', () => {
    const entry = runEntry();
    entry.protoPayload.methodName = 'google.cloud.run.v1.Services.SetIamPolicy';
    expect(skipped(entry)).toEqual({
      skip: 'unhandled-method',
      detail: 'run.googleapis.com google.cloud.run.v1.Services.SetIamPolicy is not a method mesh-remediator acts on',
    });
    delete entry.protoPayload.methodName;
    expect(skipped(entry).detail).toBe('run.googleapis.com (no methodName) is not a method mesh-remediator acts on');
  });

  it('never throws on odd field types', () => {
    const entry = runEntry();
    entry.protoPayload.request = 'oops';
    entry.protoPayload.status = 'bad';
    entry.operation = 'nope';
    entry.resource = null;
    expect(event(entry).target).toEqual({
      kind: 'runService',
      project: 'demo-project',
      region: 'asia-northeast1',
      service: 'server-service',
    });
  });
});
