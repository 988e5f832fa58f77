// The theoretical floors the bench compares against, computed from what the emulator injects.
//
// The emulator (test/emulator/server.ts) sleeps `latencyMs` when a call arrives, before handling
// it; an operation started by a write is DONE `operationDelayMs` after the write was handled; a
// Compute `wait` (or a Cloud Run LRO poll) answers as soon as the operation is DONE. So one write
// level costs latency + operationDelay: the wait call's own latency overlaps the operation as
// long as latency <= operationDelay.

export interface InjectedTiming {
  latencyMs: number;
  operationDelayMs: number;
}

/**
 * A full-chain rebuild, doing everything possible in parallel: one read round (the service and
 * six resources at once: one latency), `levels` dependent write levels (address ∥ NEG ∥ ingress →
 * backend → URL map → proxy → forwarding rule: latency + operation each), one verification read
 * round (one latency).
 */
export function chainMinimumMs(t: InjectedTiming, levels = 5): number {
  const level = t.latencyMs + Math.max(t.operationDelayMs, t.latencyMs);
  return t.latencyMs + levels * level + t.latencyMs;
}

/**
 * The quota floor of `calls` requests to one API capped at `perSecond` in any 1 s window: request
 * i and request i + perSecond must be at least 1 s apart, so the last one starts no earlier than
 * floor((calls - 1) / perSecond) s after the first, and answers one latency later.
 */
export function quotaMinimumMs(calls: number, perSecond: number, latencyMs: number): number {
  if (calls <= 0) return 0;
  return Math.floor((calls - 1) / perSecond) * 1000 + latencyMs;
}
