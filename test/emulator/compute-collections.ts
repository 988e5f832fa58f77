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
  /** the short name fault settings may use besides the collection (race409: { forwardingRule: 1 }) */
  alias: string;
  /** collection as it appears in audit-log methodName and IAM permissions */
  audit: string;
  /** LogEntry resource.type, the label that carries the resource id and the one that carries the
   *  region (docs/google-behaviour.md, "Audit logs": recorded for addresses, backend services,
   *  forwarding rules; the others unverified) */
  resourceType: string;
  idLabel: string;
  locationLabel: 'region' | 'location';
  /** carries `fingerprint`, checked by patch/update */
  fingerprint: boolean;
  /** carries `labels`/`labelFingerprint` and supports setLabels */
  labels: boolean;
  /** carries `selfLinkWithId` (recorded on forwarding rules; not on addresses) */
  selfLinkWithId?: true;
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
    alias: 'address',
    kind: 'compute#address',
    audit: 'addresses',
    resourceType: 'gce_reserved_address',
    idLabel: 'reserved_address_id',
    locationLabel: 'location',
    fingerprint: false,
    labels: true,
    verbs: ['setLabels'],
    refs: (r) => [...field(r, 'network'), ...field(r, 'subnetwork')],
  },
  forwardingRules: {
    alias: 'forwardingRule',
    kind: 'compute#forwardingRule',
    audit: 'forwardingRules',
    resourceType: 'gce_forwarding_rule',
    idLabel: 'forwarding_rule_id',
    locationLabel: 'region',
    selfLinkWithId: true,
    fingerprint: true,
    labels: true,
    verbs: ['patch', 'setTarget', 'setLabels'],
    refs: (r) => [...field(r, 'network'), ...field(r, 'subnetwork'), ...field(r, 'target')],
  },
  targetHttpProxies: {
    alias: 'targetProxy',
    kind: 'compute#targetHttpProxy',
    audit: 'regionTargetHttpProxies',
    resourceType: 'gce_target_http_proxy',
    idLabel: 'target_http_proxy_id',
    locationLabel: 'region',
    fingerprint: true,
    labels: false,
    verbs: ['setUrlMap'],
    refs: (r) => field(r, 'urlMap'),
  },
  urlMaps: {
    alias: 'urlMap',
    kind: 'compute#urlMap',
    audit: 'regionUrlMaps',
    resourceType: 'gce_url_map',
    idLabel: 'url_map_id',
    locationLabel: 'region',
    fingerprint: true,
    labels: false,
    verbs: ['patch', 'update'],
    refs: (r) => field(r, 'defaultService'),
  },
  backendServices: {
    alias: 'backendService',
    kind: 'compute#backendService',
    audit: 'regionBackendServices',
    resourceType: 'gce_backend_service',
    idLabel: 'backend_service_id',
    locationLabel: 'location',
    fingerprint: true,
    labels: false,
    verbs: ['patch', 'update'],
    refs: (r) =>
      (Array.isArray(r.backends) ? (r.backends as Json[]) : []).flatMap((b, i): Array<[string, string]> =>
        typeof b.group === 'string' ? [[`resource.backends[${i}].group`, b.group]] : [],
      ),
  },
  networkEndpointGroups: {
    alias: 'neg',
    kind: 'compute#networkEndpointGroup',
    audit: 'regionNetworkEndpointGroups',
    resourceType: 'gce_network_endpoint_group',
    idLabel: 'network_endpoint_group_id',
    locationLabel: 'region',
    fingerprint: false,
    labels: false,
    verbs: [],
    refs: (r) => [...field(r, 'network'), ...field(r, 'subnetwork')],
  },
  subnetworks: {
    alias: 'subnetwork',
    kind: 'compute#subnetwork',
    audit: 'subnetworks',
    resourceType: 'gce_subnetwork',
    idLabel: 'subnetwork_id',
    locationLabel: 'region',
    fingerprint: true,
    labels: false,
    verbs: [],
    readOnly: true,
    refs: (r) => field(r, 'network'),
  },
  networks: {
    alias: 'network',
    kind: 'compute#network',
    audit: 'networks',
    resourceType: 'gce_network',
    idLabel: 'network_id',
    locationLabel: 'region',
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
export const OUTPUT_ONLY = [
  'kind',
  'id',
  'creationTimestamp',
  'selfLink',
  'selfLinkWithId',
  'name',
  'region',
  'fingerprint',
  'labelFingerprint',
  'status',
  'users',
  'usedBy',
];
