// The IAM permissions each adapter call needs, kept beside the adapter so the deploy module's
// custom roles are generated from and checked against the code (test/deploy): every permission
// granted must be needed by a call here, and every call's permissions must be granted, each where
// grantOf says. adapter.ts names each call by its key in this map (type AdapterCall), so a new call
// cannot be added without an entry.
//
// Source: Google's IAM permission reference (docs/google-behaviour.md). A write that references another
// resource needs `<referenced>.use` on it (e.g. a forwarding rule pointing at a proxy, an address
// and a subnetwork). Unverified: whether updating a Cloud Run service's ingress alone needs
// iam.serviceAccounts.actAs on its runtime service account (left out; a denial surfaces as a
// permanent GcpError naming the call).
import type { ResourceKind } from '../config/mesh';

const CALLS = {
  getService: ['run.services.get'],
  // updateService, then the LRO is polled through the Run operations API.
  setIngress: ['run.services.update', 'run.operations.get'],
  // Repairs a client's template.vpcAccess (policy.repairClientEgress). A new revision also needs
  // iam.serviceAccounts.actAs on the client's runtime service account (Google's Cloud Run IAM
  // docs): granted per service account by the operator, so not part of the function's role.
  setVpcAccess: ['run.services.update', 'run.operations.get'],

  // Snapshots: a sweep shard or a batch of events lists each kind once per project-region.
  listServices: ['run.services.list'],
  'list:address': ['compute.addresses.list'],
  'list:neg': ['compute.regionNetworkEndpointGroups.list'],
  'list:backendService': ['compute.regionBackendServices.list'],
  'list:urlMap': ['compute.regionUrlMaps.list'],
  'list:targetProxy': ['compute.regionTargetHttpProxies.list'],
  'list:forwardingRule': ['compute.forwardingRules.list'],
  // import --project without --region: which regions hold a forwarding rule (the CLI only).
  'aggregatedList:forwardingRule': ['compute.forwardingRules.list'],

  'get:address': ['compute.addresses.get'],
  'get:neg': ['compute.regionNetworkEndpointGroups.get'],
  'get:backendService': ['compute.regionBackendServices.get'],
  'get:urlMap': ['compute.regionUrlMaps.get'],
  'get:targetProxy': ['compute.regionTargetHttpProxies.get'],
  'get:forwardingRule': ['compute.forwardingRules.get'],

  // An INTERNAL address lives in a subnetwork.
  'insert:address': ['compute.addresses.createInternal', 'compute.subnetworks.use'],
  // A serverless NEG names its Cloud Run service only by name: no permission on the service.
  'insert:neg': ['compute.regionNetworkEndpointGroups.create'],
  'insert:backendService': ['compute.regionBackendServices.create', 'compute.regionNetworkEndpointGroups.use'],
  'insert:urlMap': ['compute.regionUrlMaps.create', 'compute.regionBackendServices.use'],
  'insert:targetProxy': ['compute.regionTargetHttpProxies.create', 'compute.regionUrlMaps.use'],
  'insert:forwardingRule': [
    'compute.forwardingRules.create',
    'compute.regionTargetHttpProxies.use',
    'compute.addresses.useInternal',
    'compute.subnetworks.use',
    'compute.networks.use',
  ],

  // patch is authorised as update; the patched backends list references the NEG.
  'mutate:backendService:patch': ['compute.regionBackendServices.update', 'compute.regionNetworkEndpointGroups.use'],
  'mutate:urlMap:patch': ['compute.regionUrlMaps.update', 'compute.regionBackendServices.use'],
  'mutate:targetProxy:setUrlMap': ['compute.regionTargetHttpProxies.setUrlMap', 'compute.regionUrlMaps.use'],
  'mutate:forwardingRule:setTarget': ['compute.forwardingRules.setTarget', 'compute.regionTargetHttpProxies.use'],

  // Deletes run only when policy.recreateOnImmutableDrift is set.
  'delete:address': ['compute.addresses.deleteInternal'],
  'delete:neg': ['compute.regionNetworkEndpointGroups.delete'],
  'delete:backendService': ['compute.regionBackendServices.delete'],
  'delete:urlMap': ['compute.regionUrlMaps.delete'],
  'delete:targetProxy': ['compute.regionTargetHttpProxies.delete'],
  'delete:forwardingRule': ['compute.forwardingRules.delete'],

  // RegionOperationsClient.wait after every compute write.
  'wait:operation': ['compute.regionOperations.get'],
} as const satisfies Record<string, readonly string[]>;

/** Name of one adapter call, as used in PERMISSIONS_BY_CALL and in GcpError messages. */
export type AdapterCall = keyof typeof CALLS;

export const PERMISSIONS_BY_CALL: Readonly<Record<string, readonly string[]>> = CALLS;

/** `get:<kind>`, `list:<kind>`, `insert:<kind>`, `delete:<kind>` for a resource kind. */
export function kindCall(verb: 'get' | 'list' | 'insert' | 'delete', kind: ResourceKind): AdapterCall {
  return `${verb}:${kind}`;
}

/**
 * Every permission the function's role needs, sorted and unique. Deletes are only needed when
 * the policy may recreate resources on immutable drift.
 */
export function requiredPermissions(options: { recreate: boolean }): string[] {
  const needed = new Set<string>();
  for (const [call, permissions] of Object.entries(CALLS)) {
    if (call.startsWith('delete:') && !options.recreate) continue;
    for (const permission of permissions) needed.add(permission);
  }
  return [...needed].sort();
}

/**
 * Where the deploy module grants a permission, by the resource IAM checks it on: the declared
 * Cloud Run service itself (service-level IAM), the load balancer pieces the mesh names (a project
 * binding whose IAM condition lists them), the declared network and subnetwork (in their own,
 * possibly Shared VPC host, project), or the project (lists and operations: no declared name can
 * narrow them, and they only read).
 */
export type Grant = 'cloudRunService' | 'loadBalancer' | 'network' | 'project';

const GRANT_BY_PATTERN: ReadonlyArray<[RegExp, Grant]> = [
  [/\.list$/, 'project'],
  [/^(run\.operations|compute\.regionOperations)\./, 'project'],
  [/^run\.services\./, 'cloudRunService'],
  [/^compute\.(networks|subnetworks)\./, 'network'],
  [
    /^compute\.(addresses|forwardingRules|regionBackendServices|regionNetworkEndpointGroups|regionTargetHttpProxies|regionUrlMaps)\./,
    'loadBalancer',
  ],
];

export function grantOf(permission: string): Grant {
  const found = GRANT_BY_PATTERN.find(([pattern]) => pattern.test(permission));
  if (!found) throw new Error(`${permission}: no grant says where the deploy module binds it (add it to GRANT_BY_PATTERN)`);
  return found[1];
}
