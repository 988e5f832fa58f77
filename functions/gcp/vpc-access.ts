// Cloud Run VPC access between the mesh's words and the v2 API's google.cloud.run.v2.VpcAccess
// (connector, egress enum, networkInterfaces). The REST client asks for int enums, so egress may
// come back as a number or a name; both are read here, as ingress.ts does for ingress.
import type { DeclaredVpcAccess, VpcEgress } from '../config/mesh';
import type { ObservedVpcAccess } from './port';

/** google.cloud.run.v2.VpcAccess.VpcEgress, in enum-number order (0 = unspecified). */
const V2_EGRESS = ['VPC_EGRESS_UNSPECIFIED', 'ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'] as const;

const EGRESS_WORD: Record<(typeof V2_EGRESS)[number], VpcEgress> = {
  // Unset means Cloud Run's default (docs/google-behaviour.md).
  VPC_EGRESS_UNSPECIFIED: 'private-ranges-only',
  ALL_TRAFFIC: 'all-traffic',
  PRIVATE_RANGES_ONLY: 'private-ranges-only',
};

export const V2_EGRESS_NAME: Record<VpcEgress, (typeof V2_EGRESS)[number]> = {
  'all-traffic': 'ALL_TRAFFIC',
  'private-ranges-only': 'PRIVATE_RANGES_ONLY',
};

/** The wire shape of google.cloud.run.v2.VpcAccess, as the client library types it. */
export interface V2VpcAccess {
  connector?: string | null;
  egress?: string | number | null;
  networkInterfaces?: Array<{ network?: string | null; subnetwork?: string | null; tags?: string[] | null }> | null;
}

/** A v2 template.vpcAccess in the mesh's words; undefined when the service has no VPC access. */
export function observedVpcAccess(message: V2VpcAccess | null | undefined): ObservedVpcAccess | undefined {
  if (!message) return undefined;
  const connector = message.connector || undefined;
  const networkInterfaces = (message.networkInterfaces ?? [])
    .map((nic) => ({ ...(nic.network ? { network: nic.network } : {}), ...(nic.subnetwork ? { subnetwork: nic.subnetwork } : {}) }))
    .filter((nic) => nic.network !== undefined || nic.subnetwork !== undefined);
  if (!connector && networkInterfaces.length === 0) return undefined;
  const egressName = typeof message.egress === 'number' ? V2_EGRESS[message.egress] : message.egress;
  const egress = EGRESS_WORD[(egressName ?? 'VPC_EGRESS_UNSPECIFIED') as (typeof V2_EGRESS)[number]] ?? 'private-ranges-only';
  return { ...(connector ? { connector } : {}), egress, networkInterfaces };
}

/** The v2 template.vpcAccess that asks for a declared VPC access. */
export function v2VpcAccess(declared: DeclaredVpcAccess): V2VpcAccess {
  const nic = {
    ...(declared.network ? { network: declared.network } : {}),
    ...(declared.subnetwork ? { subnetwork: declared.subnetwork } : {}),
  };
  return {
    ...(declared.connector ? { connector: declared.connector } : {}),
    egress: V2_EGRESS_NAME[declared.egress],
    ...(declared.connector ? {} : { networkInterfaces: [nic] }),
  };
}
