// Cloud Run v2 enums on the wire: the REST client asks `$alt=json;enum-encoding=int` and sends
// and expects numbers; other callers (gcloud, curl) use names. The emulator stores names and
// converts at the edge. Values from node_modules/@google-cloud/run/build/protos/google/cloud/run/v2.
import type { Json } from './json';

const INGRESS = [
  'INGRESS_TRAFFIC_UNSPECIFIED',
  'INGRESS_TRAFFIC_ALL',
  'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  'INGRESS_TRAFFIC_NONE',
];
const LAUNCH_STAGE = ['LAUNCH_STAGE_UNSPECIFIED', 'EARLY_ACCESS', 'ALPHA', 'BETA', 'GA', 'DEPRECATED', 'UNIMPLEMENTED', 'PRELAUNCH'];
const TRAFFIC_TYPE = [
  'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED',
  'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
  'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
];
const CONDITION_STATE = ['STATE_UNSPECIFIED', 'CONDITION_PENDING', 'CONDITION_RECONCILING', 'CONDITION_FAILED', 'CONDITION_SUCCEEDED'];
const VPC_EGRESS = ['VPC_EGRESS_UNSPECIFIED', 'ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'];

export const INGRESS_NAMES = INGRESS;

type Convert = (value: unknown, names: string[]) => unknown;

const toInt: Convert = (value, names) => (typeof value === 'string' && names.includes(value) ? names.indexOf(value) : value);
const toName: Convert = (value, names) => (typeof value === 'number' && names[value] !== undefined ? names[value] : value);

/** Applies `convert` to every enum field of a v2 Service the emulator knows, in place. */
function convertService(service: Json, convert: Convert): Json {
  if (service.ingress !== undefined) service.ingress = convert(service.ingress, INGRESS);
  if (service.launchStage !== undefined) service.launchStage = convert(service.launchStage, LAUNCH_STAGE);
  for (const list of ['traffic', 'trafficStatuses']) {
    for (const target of (service[list] as Json[] | undefined) ?? [])
      if (target.type !== undefined) target.type = convert(target.type, TRAFFIC_TYPE);
  }
  const conditions = [service.terminalCondition as Json | undefined, ...((service.conditions as Json[] | undefined) ?? [])];
  for (const condition of conditions) if (condition?.state !== undefined) condition.state = convert(condition.state, CONDITION_STATE);
  const vpcAccess = (service.template as Json | undefined)?.vpcAccess as Json | undefined;
  if (vpcAccess?.egress !== undefined) vpcAccess.egress = convert(vpcAccess.egress, VPC_EGRESS);
  return service;
}

export const encodeService = (service: Json, asInt: boolean): Json => (asInt ? convertService(service, toInt) : service);
export const decodeService = (service: Json): Json => convertService(service, toName);

/** True when the query asks for integer enums: `$alt=json;enum-encoding=int`. */
export function wantsIntEnums(query: URLSearchParams): boolean {
  return (query.get('$alt') ?? '').includes('enum-encoding=int');
}
