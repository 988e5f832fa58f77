// A MeshPort whose calls wait for a per-API rate limiter first: the sweep's quota guard.
// Cloud Run Admin and Compute have separate quotas, so each has its own limiter.
import type { MeshPort } from './gcp/port';
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
