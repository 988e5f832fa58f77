// The Compute collections the emulator serves, with what differs between them: JSON kind,
// audit-log collection name, resource type, which fields reference other resources, and
// which write verbs each supports.
import type { Json } from './json';

export type Collection =
  | 'addresses'
  | 'forwardingRules'
  | 'targetHttpProxies'
  | 'urlMaps'
  | 'backendServices'
  | 'networkEndpointGroups'
  | 'subnetworks'
  | 'networks';

export interface CollectionSpec {
  /** JSON `kind`, e.g. compute#forwardingRule (lists use `${kind}List`) */
  kind: string;
  /** collection as it appears in audit-log methodName and IAM permissions (gcp.md §3) */
  audit: string;
  /** LogEntry resource.type and the label that carries the resource id (unverified, gcp.md §3) */
  resourceType: string;
  idLabel: string;
  /** carries `fingerprint`, checked by patch/update */
  fingerprint: boolean;
  /** carries `labels`/`labelFingerprint` and supports setLabels */
  labels: boolean;
  /** write verbs beyond insert/delete: patch, update, setTarget, setUrlMap, setLabels */
  verbs: string[];
  /** seeded and readable only */
  readOnly?: true;
  /** fields holding references to other resources, as [field path for errors, value] */
  refs(resource: Json): Array<[string, string]>;
}

const field = (resource: Json, name: string): Array<[string, string]> =>
  typeof resource[name] === 'string' && resource[name] ? [[`resource.${name}`, resource[name] as string]] : [];

export const COLLECTIONS: Record<Collection, CollectionSpec> = {
  addresses: {
    kind: 'compute#address',
    audit: 'addresses',
    resourceType: 'gce_reserved_address',
    idLabel: 'address_id',
    fingerprint: false,
    labels: true,
    verbs: ['setLabels'],
    refs: (r) => [...field(r, 'network'), ...field(r, 'subnetwork')],
  },
  forwardingRules: {
    kind: 'compute#forwardingRule',
    audit: 'forwardingRules',
    resourceType: 'gce_forwarding_rule',
    idLabel: 'forwarding_rule_id',
    fingerprint: true,
    labels: true,
    verbs: ['patch', 'setTarget', 'setLabels'],
    refs: (r) => [...field(r, 'network'), ...field(r, 'subnetwork'), ...field(r, 'target')],
  },
  targetHttpProxies: {
    kind: 'compute#targetHttpProxy',
    audit: 'regionTargetHttpProxies',
    resourceType: 'gce_target_http_proxy',
    idLabel: 'target_http_proxy_id',
    fingerprint: true,
    labels: false,
    verbs: ['setUrlMap'],
    refs: (r) => field(r, 'urlMap'),
  },
  urlMaps: {
    kind: 'compute#urlMap',
    audit: 'regionUrlMaps',
    resourceType: 'gce_url_map',
    idLabel: 'url_map_id',
    fingerprint: true,
    labels: false,
    verbs: ['patch', 'update'],
    refs: (r) => field(r, 'defaultService'),
  },
  backendServices: {
    kind: 'compute#backendService',
    audit: 'regionBackendServices',
    resourceType: 'gce_backend_service',
    idLabel: 'backend_service_id',
    fingerprint: true,
    labels: false,
    verbs: ['patch', 'update'],
    refs: (r) =>
      (Array.isArray(r.backends) ? (r.backends as Json[]) : []).flatMap((b, i): Array<[string, string]> =>
        typeof b.group === 'string' ? [[`resource.backends[${i}].group`, b.group]] : [],
      ),
  },
  networkEndpointGroups: {
    kind: 'compute#networkEndpointGroup',
    audit: 'regionNetworkEndpointGroups',
    resourceType: 'gce_network_endpoint_group',
    idLabel: 'network_endpoint_group_id',
    fingerprint: false,
    labels: false,
    verbs: [],
    refs: (r) => [...field(r, 'network'), ...field(r, 'subnetwork')],
  },
  subnetworks: {
    kind: 'compute#subnetwork',
    audit: 'subnetworks',
    resourceType: 'gce_subnetwork',
    idLabel: 'subnetwork_id',
    fingerprint: true,
    labels: false,
    verbs: [],
    readOnly: true,
    refs: (r) => field(r, 'network'),
  },
  networks: {
    kind: 'compute#network',
    audit: 'networks',
    resourceType: 'gce_network',
    idLabel: 'network_id',
    fingerprint: false,
    labels: false,
    verbs: [],
    readOnly: true,
    refs: () => [],
  },
};

export function isCollection(name: string | undefined): name is Collection {
  return name !== undefined && Object.prototype.hasOwnProperty.call(COLLECTIONS, name);
}

/** Fields whose values are resource references, normalised to full v1 URLs when stored. */
export const REFERENCE_FIELDS = ['network', 'subnetwork', 'target', 'urlMap', 'defaultService', 'region'];

/** Fields a client may not set through patch/update. */
export const OUTPUT_ONLY = ['kind', 'id', 'creationTimestamp', 'selfLink', 'name', 'region', 'fingerprint', 'labelFingerprint', 'status', 'users'];
