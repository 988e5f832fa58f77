// Fresh reads: GETs of the Cloud Run service, the six chain resources and the declared clients'
// services, all in parallel (the read cost of a reconcile is one round trip, whatever the drift).
// Absent (404) reads as null. `observe` reads everything; `reread` reads only some parts over an
// earlier observation (a snapshot), which is how a snapshot's finding is confirmed before a write
// and verified after.
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

/** The parts of a service's mesh to read afresh. */
export interface ReadParts {
  service: boolean;
  /** every declared client's service */
  clients: boolean;
  kinds: readonly ResourceKind[];
}

export const ALL_PARTS: ReadParts = { service: true, clients: true, kinds: RESOURCE_KINDS };
export const NO_PARTS: ReadParts = { service: false, clients: false, kinds: [] };

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

/** Runs one read with transient retries; a lasting failure becomes an ObserveError about `what`. */
export async function readOrThrow<T>(what: string, op: () => Promise<T>, retry: RetryOptions): Promise<T> {
  const result = await retryTransient(op, retry);
  if (!result.ok) throw new ObserveError(what, result.error, result.attempts);
  return result.value;
}

export async function observe(port: MeshPort, svc: DeclaredService, retry: RetryOptions): Promise<ObservedMesh> {
  return reread(port, svc, null, ALL_PARTS, retry);
}

/** Reads `parts` afresh (in parallel) and lays them over `base`; with no base, parts must be all. */
export async function reread(
  port: MeshPort,
  svc: DeclaredService,
  base: ObservedMesh | null,
  parts: ReadParts,
  retry: RetryOptions,
): Promise<ObservedMesh> {
  // Every read settles before a failure is reported, and the first failure in a fixed order
  // (the service, its chain in dependency order, its clients) is the one named: the same outage
  // reads the same every time, whichever read happened to fail first.
  const settled = await Promise.allSettled([
    parts.service
      ? readOrThrow(`Cloud Run service ${svc.service}`, () => port.getService(serviceRefOf(svc)), retry)
      : Promise.resolve(base?.service ?? null),
    Promise.allSettled(
      parts.kinds.map((kind) => readOrThrow(`${kind} ${svc.loadBalancer.names[kind]}`, () => port.get(kind, refOf(svc, kind)), retry)),
    ),
    parts.clients
      ? Promise.allSettled(
          svc.clients.map((client) => readOrThrow(`client Cloud Run service ${client.key}`, () => port.getService(client), retry)),
        )
      : Promise.resolve((base?.clients ?? []).map((value) => ({ status: 'fulfilled' as const, value }))),
  ]);
  const [serviceRead, chainReads, clientReads] = settled as [
    PromiseSettledResult<RunService | null>,
    PromiseFulfilledResult<PromiseSettledResult<Observed<ResourceKind> | null>[]>,
    PromiseFulfilledResult<PromiseSettledResult<RunService | null>[]>,
  ];
  const all = [serviceRead, ...chainReads.value, ...clientReads.value];
  const failed = all.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    const first = failed[0]!.reason as unknown;
    if (!(first instanceof ObserveError) || failed.length === 1) throw first;
    throw new ObserveError(`${first.what} (and ${failed.length - 1} more reads of its mesh)`, first.cause, first.attempts);
  }
  const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
  const service = value(serviceRead);
  const chain = chainReads.value.map(value);
  const clients = clientReads.value.map(value);
  const resources = { ...(base?.resources ?? {}) } as Record<ResourceKind, unknown>;
  parts.kinds.forEach((kind, i) => (resources[kind] = chain[i] ?? null));
  return { service, clients, resources: resources as ObservedMesh['resources'] };
}
