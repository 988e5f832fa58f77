// A sliding-window limiter: at most `perSecond` grants in any window of `windowMs`, and grants
// paced `windowMs / perSecond` apart. A token bucket would let a full bucket plus a second's
// refill through in one window; a quota counts requests per window, so this counts the same way.
// Pacing keeps requests from leaving in bursts whose spread on the way out varies; `windowMs` a
// little over 1 s absorbs the jitter left between the grant here and the arrival at Google.
/**
 * 5% over a second: on a busy 2-core instance a granted request can leave up to tens of
 * milliseconds after a later one; 25 ms of slack was measured to be too little (21 in a window).
 */
export const DEFAULT_WINDOW_MS = 1050;

export interface RateLimiter {
  acquire(): Promise<void>;
}

export function createRateLimiter(
  perSecond: number,
  options: { windowMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = Math.max(1, Math.floor(perSecond));
  const gapMs = windowMs / limit;
  const granted: number[] = []; // grant times inside the window, oldest first
  let queue: Promise<void> = Promise.resolve();

  async function grant(): Promise<void> {
    for (;;) {
      const t = now();
      while (granted.length > 0 && (granted[0] as number) <= t - windowMs) granted.shift();
      const last = granted[granted.length - 1];
      const paced = last === undefined || t >= last + gapMs;
      if (granted.length < limit && paced) {
        granted.push(t);
        return;
      }
      const windowOpens = granted.length < limit ? t : (granted[0] as number) + windowMs;
      const gapEnds = last === undefined ? t : last + gapMs;
      await sleep(Math.max(windowOpens, gapEnds) - t);
    }
  }

  return {
    // Grants are handed out strictly in arrival order.
    acquire() {
      const next = queue.then(grant);
      queue = next;
      return next;
    },
  };
}

/**
 * A per-minute quota as Google counts it (docs/google-behaviour.md, "Rate quotas"): fixed
 * windows aligned to the clock, `limit` requests each; a window that is full (or that Google
 * said is full, by refusing a call) opens again at the next boundary, not a minute after the
 * refusal. No pacing inside a window: Google does not ask for any.
 */
export interface WindowQuota {
  acquire(): Promise<void>;
  /** Google refused a call of this group: nothing more until the next window. */
  refused(): void;
  /** Epoch ms when the current window ends. */
  nextWindowAt(): number;
}

export function createWindowQuota(
  limit: number,
  options: { windowMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): WindowQuota {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let window = -1;
  let used = 0;
  const windowOf = (t: number) => Math.floor(t / windowMs);
  const nextWindowAt = () => (windowOf(now()) + 1) * windowMs;
  return {
    async acquire() {
      for (;;) {
        const current = windowOf(now());
        if (current !== window) {
          window = current;
          used = 0;
        }
        if (used < limit) {
          used += 1;
          return;
        }
        await sleep(Math.max(1, nextWindowAt() - now()));
      }
    },
    refused() {
      window = windowOf(now());
      used = Number.POSITIVE_INFINITY;
    },
    nextWindowAt,
  };
}
