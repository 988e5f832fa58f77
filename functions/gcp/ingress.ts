// Cloud Run ingress in the mesh's words (the v1 annotation values). The v2 API says it with the
// IngressTraffic enum: by name, or by number when the REST client asks for int enums (test/emulator/README.md, Enums).
// The adapter reads it from services and the audit decoder from requests; both read it here.
import type { DeclaredIngress } from '../config/mesh';
import type { ObservedIngress } from './port';

/** google.cloud.run.v2.IngressTraffic, in enum-number order. */
const V2_ENUM: ReadonlyArray<readonly [name: string, ingress: ObservedIngress]> = [
  ['INGRESS_TRAFFIC_UNSPECIFIED', 'unspecified'],
  ['INGRESS_TRAFFIC_ALL', 'all'],
  ['INGRESS_TRAFFIC_INTERNAL_ONLY', 'internal'],
  ['INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', 'internal-and-cloud-load-balancing'],
  ['INGRESS_TRAFFIC_NONE', 'none'],
];

// v1 words stand for themselves (a v1 annotation, or a v2 field someone filled with one).
const BY_NAME = new Map<string, ObservedIngress>([
  ...V2_ENUM,
  ...(['all', 'internal', 'internal-and-cloud-load-balancing'] as const).map((word) => [word, word] as const),
]);

/** A v2 enum number or name, or a v1 word, in v1 words; undefined when it is none of those. */
export function observedIngress(value: string | number): ObservedIngress | undefined {
  return typeof value === 'number' ? V2_ENUM[value]?.[1] : BY_NAME.get(value);
}

/** The v2 enum name that asks for a declared ingress. */
export const V2_INGRESS_NAME = {
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
} as const satisfies Record<DeclaredIngress, string>;
