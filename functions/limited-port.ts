// MeshPorts whose calls wait for quota first.
// - limitPort: an optional per-API cap per second (SWEEP_RATE_PER_API), one limiter per API.
// - quotaPort: Google's per-project, per-group, per-minute quotas (project-quotas.ts). A call
//   Google refuses for rate (403 rateLimitExceeded, 429) closes its group's window until the next
//   boundary: the reconciler's retry of it (and every other call of that group) waits for it.
import { GcpError, type MeshPort } from './gcp/port';
import type { ProjectQuotas, QuotaGroup } from './project-quotas';
import type { RateLimiter } from './rate-limit';

export function limitPort(port: MeshPort, limiters: { run: RateLimiter; compute: RateLimiter }): MeshPort {
  const { run, compute } = limiters;
  return {
    listServices: async (scope) => (await run.acquire(), port.listServices(scope)),
    list: async (kind, scope, names) => (await compute.acquire(), port.list(kind, scope, names)),
    getService: async (ref) => (await run.acquire(), port.getService(ref)),
    setIngress: async (ref, ingress, etag) => (await run.acquire(), port.setIngress(ref, ingress, etag)),
    setVpcAccess: async (ref, vpcAccess, etag) => (await run.acquire(), port.setVpcAccess(ref, vpcAccess, etag)),
    get: async (kind, ref) => (await compute.acquire(), port.get(kind, ref)),
    insert: async (kind, ref, resource, requestId) => (await compute.acquire(), port.insert(kind, ref, resource, requestId)),
    mutate: async (mutation) => (await compute.acquire(), port.mutate(mutation)),
    delete: async (kind, ref, requestId) => (await compute.acquire(), port.delete(kind, ref, requestId)),
  };
}

/** Google's refusals for rate: Compute's 403 `rateLimitExceeded`, any 429. */
export function isRateRefusal(err: unknown): err is GcpError {
  return err instanceof GcpError && (err.httpStatus === 429 || (err.httpStatus === 403 && /rate_?limit_?exceeded/i.test(err.reason ?? '')));
}

export function quotaPort(port: MeshPort, quotas: ProjectQuotas): MeshPort {
  /**
   * Takes one unit of each group (the first is the call's own; a compute write also polls its
   * operation, a Cloud Run update its LRO), then calls. A rate refusal closes the call's group
   * until the next window and goes back to the caller as the transient error it is: the
   * caller's retry then waits for that window in `acquire`, within its own attempt budget.
   */
  async function within<T>(groups: readonly QuotaGroup[], scope: { project: string; region: string }, call: () => Promise<T>): Promise<T> {
    const own = groups.map((g) => quotas.quota(g, scope.project, scope.region));
    for (const quota of own) await quota.acquire();
    try {
      return await call();
    } catch (err) {
      if (isRateRefusal(err)) own[0]!.refused();
      throw err;
    }
  }
  const write: readonly QuotaGroup[] = ['compute.write', 'compute.operationRead'];
  return {
    listServices: (scope) => within(['run.read'], scope, () => port.listServices(scope)),
    list: (kind, scope, names) => within(['compute.list'], scope, () => port.list(kind, scope, names)),
    getService: (ref) => within(['run.read'], ref, () => port.getService(ref)),
    setIngress: (ref, ingress, etag) => within(['run.write', 'run.read'], ref, () => port.setIngress(ref, ingress, etag)),
    setVpcAccess: (ref, vpcAccess, etag) => within(['run.write', 'run.read'], ref, () => port.setVpcAccess(ref, vpcAccess, etag)),
    get: (kind, ref) => within(['compute.read'], ref, () => port.get(kind, ref)),
    insert: (kind, ref, resource, requestId) => within(write, ref, () => port.insert(kind, ref, resource, requestId)),
    mutate: (mutation) => within(write, mutation.ref, () => port.mutate(mutation)),
    delete: (kind, ref, requestId) => within(write, ref, () => port.delete(kind, ref, requestId)),
  };
}
