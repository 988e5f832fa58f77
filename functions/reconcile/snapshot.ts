// A project-region's state taken with lists (each kind listed once, paged; Cloud Run services
// listed per location) instead of a GET per resource. A snapshot *detects*: the reconciler
// never writes on its word, it re-reads the resources a write would change (a fresh read
// decides) and verifies with fresh reads (reconciler.ts).
import { RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../config/mesh';
import type { MeshPort, Observed, RegionRef, RunService } from '../gcp/port';
import type { ObservedMesh } from './observe';
import { readOrThrow } from './observe';
import type { RetryOptions } from './retry';

export interface RegionSnapshot {
  scope: RegionRef;
  /** Epoch ms when the first list was sent: nothing in the snapshot is older than this. */
  takenAt: number;
  /** Cloud Run services of the location by service id. */
  services: ReadonlyMap<string, RunService>;
  /** Chain resources by name, per kind. */
  resources: { readonly [K in ResourceKind]: ReadonlyMap<string, Observed<K>> };
}

/** Only these names per kind (filtered lists); absent: the whole region. */
export type SnapshotNames = { [K in ResourceKind]?: readonly string[] };

/** Lists every kind (and the location's services) in parallel, each with transient retries. */
export async function takeSnapshot(port: MeshPort, scope: RegionRef, retry: RetryOptions, names?: SnapshotNames): Promise<RegionSnapshot> {
  const takenAt = Date.now();
  const where = `${scope.project}/${scope.region}`;
  const [services, ...lists] = await Promise.all([
    readOrThrow(`Cloud Run services of ${where}`, () => port.listServices(scope), retry),
    ...RESOURCE_KINDS.map((kind) => readOrThrow(`${kind} list of ${where}`, () => port.list(kind, scope, names?.[kind]), retry)),
  ]);
  const resources = Object.fromEntries(
    RESOURCE_KINDS.map((kind, i) => [kind, new Map((lists[i] as Array<Observed<ResourceKind>>).map((r) => [r.name, r]))]),
  ) as unknown as RegionSnapshot['resources'];
  return {
    scope,
    takenAt,
    services: new Map((services as RunService[]).map((s) => [serviceId(s.name), s])),
    resources,
  };
}

/** One declared service's mesh as the snapshot shows it (absent = null, like a 404). */
export function observedIn(snapshot: RegionSnapshot, svc: DeclaredService): ObservedMesh {
  if (!covers(snapshot, svc)) throw new Error(`snapshot of ${snapshot.scope.project}/${snapshot.scope.region} cannot observe ${svc.key}`);
  const resources = Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [
      kind,
      (snapshot.resources[kind] as ReadonlyMap<string, unknown>).get(svc.loadBalancer.names[kind]) ?? null,
    ]),
  ) as ObservedMesh['resources'];
  // A client in another location is not in this snapshot: null here, read afresh by the caller.
  const clients = svc.clients.map((c) => (covers(snapshot, c) ? (snapshot.services.get(c.service) ?? null) : null));
  return { service: snapshot.services.get(svc.service) ?? null, clients, resources };
}

/** True when every declared client of `svc` lives in the snapshot's location. */
export function seesClients(snapshot: RegionSnapshot, svc: DeclaredService): boolean {
  return svc.clients.every((c) => covers(snapshot, c));
}

function covers(snapshot: RegionSnapshot, where: { project: string; region: string }): boolean {
  return snapshot.scope.project === where.project && snapshot.scope.region === where.region;
}

function serviceId(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
