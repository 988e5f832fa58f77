// Pure: does a client's observed VPC access give it the declared path into the VPC? Only what
// the declaration names is compared (Cloud Run fills in the network from the subnetwork and the
// reverse), references by name when either side is a bare name, else as `projects/...` paths.
import type { DeclaredClient, DeclaredVpcAccess } from '../config/mesh';
import type { ObservedVpcAccess, RunService } from '../gcp/port';
import { nameOf, partialPath } from '../gcp/refs';
import type { Drift } from './model';

/** The same network, subnetwork or connector, whether written as a name, a path or a URL. */
export function sameVpcRef(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (!a.includes('/') || !b.includes('/')) return nameOf(a) === nameOf(b);
  return partialPath(a) === partialPath(b);
}

export function vpcAccessHolds(declared: DeclaredVpcAccess, observed: ObservedVpcAccess | undefined): boolean {
  if (!observed || observed.egress !== declared.egress) return false;
  if (declared.connector !== undefined)
    return observed.networkInterfaces.length === 0 && sameVpcRef(observed.connector, declared.connector);
  if (observed.connector !== undefined || observed.networkInterfaces.length !== 1) return false;
  const [nic] = observed.networkInterfaces;
  return (
    (declared.network === undefined || sameVpcRef(nic?.network, declared.network)) &&
    (declared.subnetwork === undefined || sameVpcRef(nic?.subnetwork, declared.subnetwork))
  );
}

/** What was read, in the declaration's shape (for drift reports); null when there is no VPC access. */
export function foundVpcAccess(observed: ObservedVpcAccess | undefined): DeclaredVpcAccess | null {
  if (!observed) return null;
  const [nic] = observed.networkInterfaces;
  return {
    ...(nic?.network ? { network: nic.network } : {}),
    ...(nic?.subnetwork ? { subnetwork: nic.subnetwork } : {}),
    ...(observed.connector ? { connector: observed.connector } : {}),
    egress: observed.egress,
  };
}

/** Drift of one client; `service` null when the client's Cloud Run service does not exist. */
export function diffClient(client: DeclaredClient, service: RunService | null): Drift[] {
  if (service === null) return [{ type: 'client-missing', client: client.key, service: client.service }];
  if (vpcAccessHolds(client.vpcAccess, service.vpcAccess)) return [];
  return [
    {
      type: 'client-egress',
      client: client.key,
      service: client.service,
      wanted: client.vpcAccess,
      found: foundVpcAccess(service.vpcAccess),
    },
  ];
}
