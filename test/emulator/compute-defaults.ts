// What Compute fills in on a resource the caller left it out of, so a read shows what Google's
// would (docs/google-behaviour.md, "Compute resources": each default with its source). Applied to
// inserts and to update's replacement body; patch keeps the current value of an absent field.
import type { Collection } from './compute-collections';
import type { Json } from './json';

type Defaults = (resource: Json) => Json;

const DEFAULTS: Partial<Record<Collection, Defaults>> = {
  addresses: (r) => ({
    description: '',
    addressType: 'EXTERNAL',
    networkTier: 'PREMIUM',
    ...(r.addressType === 'INTERNAL' ? { purpose: 'GCE_ENDPOINT' } : {}),
  }),
  forwardingRules: () => ({ description: '', IPProtocol: 'TCP', networkTier: 'PREMIUM' }),
  backendServices: () => ({
    description: '',
    protocol: 'HTTP',
    timeoutSec: 30,
    sessionAffinity: 'NONE',
    affinityCookieTtlSec: 0,
  }),
  urlMaps: () => ({ description: '' }),
  networkEndpointGroups: () => ({ networkEndpointType: 'GCE_VM_IP_PORT', size: 0 }),
};

/** Each backend of a backend service: Compute's balancingMode and capacityScaler when absent. */
const BACKEND_DEFAULTS: Json = { balancingMode: 'UTILIZATION', capacityScaler: 1 };

/** The resource with Compute's defaults under the caller's fields (in place, and returned). */
export function withServerDefaults(collection: Collection, resource: Json): Json {
  const defaults = DEFAULTS[collection]?.(resource) ?? {};
  for (const [key, value] of Object.entries(defaults)) if (resource[key] === undefined) resource[key] = value;
  if (collection === 'backendServices' && Array.isArray(resource.backends)) {
    resource.backends = (resource.backends as Json[]).map((backend) => ({ ...BACKEND_DEFAULTS, ...backend }));
  }
  return resource;
}
