// The limits the function's own requests to Google wait for, as RequestGates the adapter asks once
// per request (gcp/request-gate.ts):
// - quotaGate: Google's per-project, per-group, per-minute quotas (project-quotas.ts). A request
//   Google refuses for rate (403 rateLimitExceeded, 429) closes its group's window until the next
//   boundary: the reconciler's retry of it (and every other request of that group) waits for it.
// - rateGate: an optional per-API cap per second (SWEEP_RATE_PER_API), one limiter per API.
import type { RequestGate } from './gcp/request-gate';
import type { ProjectQuotas } from './project-quotas';
import type { RateLimiter } from './rate-limit';

export function quotaGate(quotas: ProjectQuotas): RequestGate {
  return {
    admit: ({ group, project, region }) => quotas.quota(group, project, region).acquire(),
    refused: ({ group, project, region }) => quotas.quota(group, project, region).refused(),
  };
}

export function rateGate(limiters: { run: RateLimiter; compute: RateLimiter }): RequestGate {
  return {
    admit: ({ group }) => (group.startsWith('run.') ? limiters.run : limiters.compute).acquire(),
    // Google's refusal is the quota gate's concern; a per-second cap has no window to close.
    refused: () => undefined,
  };
}
