// One read round: the Cloud Run service, the six chain resources and the declared clients'
// services, all in parallel (the read cost of a reconcile is one round trip, whatever the drift).
// Absent (404) reads as null.
import { RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../config/mesh';
import type { GcpError, MeshPort, Observed, RunService } from '../gcp/port';
import { refOf, serviceRefOf } from './desired';
import { retryTransient, type RetryOptions } from './retry';

/** What a read round saw. Named apart from the port's per-resource `Observed<K>`. */
export interface ObservedMesh {
  service: RunService | null;
  /** The declared clients' services, in declaration order (null: absent). */
  clients: Array<RunService | null>;
  resources: { [K in ResourceKind]: Observed<K> | null };
}

/** Thrown when a read failed for good (after transient retries); carries the last error. */
export class ObserveError extends Error {
  override readonly name = 'ObserveError';
  constructor(
    readonly what: string,
    override readonly cause: GcpError,
    readonly attempts: number,
  ) {
    super(`reading ${what} failed after ${attempts} attempt(s): ${cause.message}`);
  }
}

export async function observe(port: MeshPort, svc: DeclaredService, retry: RetryOptions): Promise<ObservedMesh> {
  const read = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    const result = await retryTransient(op, retry);
    if (!result.ok) throw new ObserveError(what, result.error, result.attempts);
    return result.value;
  };
  const serviceRef = serviceRefOf(svc);
  const [service, chain, clients] = await Promise.all([
    read(`Cloud Run service ${svc.service}`, () => port.getService(serviceRef)),
    Promise.all(RESOURCE_KINDS.map((kind) => read(`${kind} ${svc.loadBalancer.names[kind]}`, () => port.get(kind, refOf(svc, kind))))),
    Promise.all(svc.clients.map((client) => read(`client Cloud Run service ${client.key}`, () => port.getService(client)))),
  ]);
  const resources = Object.fromEntries(RESOURCE_KINDS.map((kind, i) => [kind, chain[i] ?? null]));
  return { service, clients, resources: resources as ObservedMesh['resources'] };
}
