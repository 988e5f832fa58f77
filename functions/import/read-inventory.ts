// An Inventory from Google Cloud: every chain resource and Cloud Run service of a region, read
// with the port's list calls (all pages), the seven lists in parallel. A transient failure (a
// dropped connection, 429/503) is retried with backoff as the reconciler's reads are (retry.ts).
import { RESOURCE_KINDS } from '../config/mesh';
import type { MeshPort, RegionRef } from '../gcp/port';
import { DEFAULT_RETRY, retryTransient } from '../reconcile/retry';
import { emptyInventory, serviceName, type Inventory } from './inventory';

export async function readInventory(port: Pick<MeshPort, 'list' | 'listServices'>, scope: RegionRef): Promise<Inventory> {
  const inventory = emptyInventory(scope, `projects/${scope.project}/regions/${scope.region} (Compute and Cloud Run list calls)`);
  const read = async <T>(op: () => Promise<T>): Promise<T> => {
    const result = await retryTransient(op, DEFAULT_RETRY);
    if (!result.ok) throw result.error;
    return result.value;
  };
  const [services, ...lists] = await Promise.all([
    read(() => port.listServices(scope)),
    ...RESOURCE_KINDS.map((kind) => read(() => port.list(kind, scope))),
  ]);
  for (const service of services) inventory.services.set(serviceName(service.name), service);
  RESOURCE_KINDS.forEach((kind, i) => {
    const found = lists[i] ?? [];
    (inventory.resources[kind] as unknown[]).push(...found);
    for (const resource of found) inventory.origin.set(resource.selfLink, 'listed');
  });
  return inventory;
}
