// What import reads, whatever the source (Compute and Cloud Run list calls, or a Terraform JSON
// document): every chain resource and Cloud Run service of one project-region in the port's
// shapes (Compute REST field names, selfLinks), and where each came from, for the comments of the
// mesh it writes.
import { RESOURCE_KINDS, type ResourceKind } from '../config/mesh';
import type { Observed, RegionRef, RunService } from '../gcp/port';

export interface Inventory {
  scope: RegionRef;
  /** Cloud Run services by name (the last segment of projects/P/locations/R/services/S). */
  services: Map<string, RunService>;
  resources: { [K in ResourceKind]: Array<Observed<K>> };
  /** Where a resource or service was read, by its selfLink or service name: "Compute list", a Terraform address. */
  origin: Map<string, string>;
  /** The source as a whole, for the file's header: "projects/P (Compute and Cloud Run list calls)". */
  source: string;
}

export function emptyInventory(scope: RegionRef, source: string): Inventory {
  return {
    scope,
    services: new Map(),
    resources: Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, []])) as unknown as Inventory['resources'],
    origin: new Map(),
    source,
  };
}

/** The Cloud Run service name of a `projects/P/locations/R/services/S` path (or a bare name). */
export function serviceName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
