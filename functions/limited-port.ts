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
  /** Sends once granted; the request counts against its API's window until its answer is back. */
  async function within<T>(limiter: RateLimiter, call: () => Promise<T>): Promise<T> {
    const answered = await limiter.acquire();
    try {
      return await call();
    } finally {
      answered();
    }
  }
  return {
    listServices: (scope) => within(run, () => port.listServices(scope)),
    list: (kind, scope, names) => within(compute, () => port.list(kind, scope, names)),
    getService: (ref) => within(run, () => port.getService(ref)),
    setIngress: (ref, ingress, etag) => within(run, () => port.setIngress(ref, ingress, etag)),
    setVpcAccess: (ref, vpcAccess, etag) => within(run, () => port.setVpcAccess(ref, vpcAccess, etag)),
    get: (kind, ref) => within(compute, () => port.get(kind, ref)),
    insert: (kind, ref, resource, requestId) => within(compute, () => port.insert(kind, ref, resource, requestId)),
    mutate: (mutation) => within(compute, () => port.mutate(mutation)),
    delete: (kind, ref, requestId) => within(compute, () => port.delete(kind, ref, requestId)),
  };
}

/** Google's refusals for rate: Compute's 403 `rateLimitExceeded`, any 429. */
export function isRateRefusal(err: unknown): err is GcpError {
  return err instanceof GcpError && (err.httpStatus === 429 || (err.httpStatus === 403 && /rate_?limit_?exceeded/i.test(err.reason ?? '')));
}

export function quotaPort(port: MeshPort, quotas: ProjectQuotas): MeshPort {
  /**
   * Takes one unit of each group (the first is the call's own; a compute write also polls its
   * operation, a Cloud Run update its LRO), then calls; each unit stays in flight (counted in a
   * window that opens meanwhile) until the call's answer is back. A rate refusal closes the call's group
   * until the next window and goes back to the caller as the transient error it is: the
   * caller's retry then waits for that window in `acquire`, within its own attempt budget.
   */
  async function within<T>(groups: readonly QuotaGroup[], scope: { project: string; region: string }, call: () => Promise<T>): Promise<T> {
    const own = groups.map((g) => quotas.quota(g, scope.project, scope.region));
    const answered: Array<() => void> = [];
    try {
      for (const quota of own) answered.push(await quota.acquire());
      return await call();
    } catch (err) {
      if (isRateRefusal(err)) own[0]!.refused();
      throw err;
    } finally {
      for (const done of answered) done();
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
