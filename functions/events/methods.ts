// The exact audit-log methodNames mesh-remediator acts on: every call that can change a declared
// Cloud Run service's ingress or a resource of its load-balancer chain. The Terraform sink filter is
// generated from HANDLED_METHODS (test/deploy/terraform-lists.ts), so the function and the sink
// can never disagree.
//
// Compute methodNames are `{v1|beta|alpha}.compute.{collection}.{verb}`: calls through the beta or
// alpha API are logged with that prefix (docs/google-behaviour.md, "Audit logs"); the verbs are the
// mutating RPCs of @google-cloud/compute's compute.proto. The unversioned `compute.` prefix appears
// only for system-initiated calls on other collections (instances, subnetworks, disks), so it is
// not listed. The global and
// zonal collections (urlMaps, backendServices, ...) are listed defensively; their resourceNames
// are global or zonal and decode-audit skips them as outside the declaration.
import type { ResourceKind } from '../config/mesh';

export type HandledMethod =
  { api: 'run'; version: 'v1' | 'v2'; verb: string } | { api: 'compute'; kind: ResourceKind; collection: string; verb: string };

const RUN_VERBS = {
  v1: ['CreateService', 'ReplaceService', 'DeleteService'],
  v2: ['CreateService', 'UpdateService', 'DeleteService'],
} as const;

const COMPUTE_VERSIONS = ['v1', 'beta', 'alpha'] as const;

/** methodName collection → the kind it holds and its mutating verbs. */
const COMPUTE_COLLECTIONS: Record<string, { kind: ResourceKind; verbs: readonly string[] }> = {
  addresses: { kind: 'address', verbs: ['insert', 'delete', 'setLabels', 'move'] },
  regionNetworkEndpointGroups: { kind: 'neg', verbs: ['insert', 'delete'] },
  networkEndpointGroups: { kind: 'neg', verbs: ['insert', 'delete'] },
  regionBackendServices: { kind: 'backendService', verbs: ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy'] },
  backendServices: { kind: 'backendService', verbs: ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy'] },
  regionUrlMaps: { kind: 'urlMap', verbs: ['insert', 'delete', 'patch', 'update'] },
  urlMaps: { kind: 'urlMap', verbs: ['insert', 'delete', 'patch', 'update'] },
  regionTargetHttpProxies: { kind: 'targetProxy', verbs: ['insert', 'delete', 'setUrlMap'] },
  targetHttpProxies: { kind: 'targetProxy', verbs: ['insert', 'delete', 'patch', 'setUrlMap'] },
  forwardingRules: { kind: 'forwardingRule', verbs: ['insert', 'delete', 'patch', 'setTarget', 'setLabels'] },
};

function buildTable(): Map<string, HandledMethod> {
  const table = new Map<string, HandledMethod>();
  for (const version of ['v1', 'v2'] as const) {
    for (const verb of RUN_VERBS[version]) table.set(`google.cloud.run.${version}.Services.${verb}`, { api: 'run', version, verb });
  }
  for (const version of COMPUTE_VERSIONS) {
    for (const [collection, { kind, verbs }] of Object.entries(COMPUTE_COLLECTIONS)) {
      for (const verb of verbs) table.set(`${version}.compute.${collection}.${verb}`, { api: 'compute', kind, collection, verb });
    }
  }
  return table;
}

const TABLE = buildTable();

export const HANDLED_METHODS: readonly string[] = Object.freeze([...TABLE.keys()]);

export function isHandledMethod(methodName: string): boolean {
  return TABLE.has(methodName);
}

export function handledMethod(methodName: string): HandledMethod | undefined {
  return TABLE.get(methodName);
}
