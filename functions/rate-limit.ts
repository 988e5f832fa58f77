// A sliding-window limiter that holds whatever the jitter between a grant here and the request's
// arrival at Google: at most `perSecond` requests in any window of `windowMs` as Google counts
// them, by arrival. A request arrives somewhere between its grant and its answer, so it counts
// from its grant until `windowMs` after its answer: two requests can arrive within one window only
// if the later was granted before the earlier's answer was `windowMs` old, and the limiter never
// lets more than `perSecond` overlap that way. A late timer, a slow event loop or a slow network
// delays requests but can never put one more in a window; the price is one latency per window
// (a call answered in 50 ms frees its place 1,050 ms after its grant). Grants are paced
// `windowMs / perSecond` apart so requests leave evenly, not in bursts.
export const DEFAULT_WINDOW_MS = 1000;

export interface RateLimiter {
  /** Resolves when a request may be sent, with the function to call once its answer (or error) is back. */
  acquire(): Promise<() => void>;
}

export function createRateLimiter(
  perSecond: number,
  options: { windowMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const limit = Math.max(1, Math.floor(perSecond));
  const gapMs = windowMs / limit;
  let inFlight = 0;
  const answered: number[] = []; // answer times inside the window, oldest first
  let lastGrant = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();
  /** Wakes the grant waiting for an answer (nothing else frees a place while all are in flight). */
  let wake: (() => void) | undefined;
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }));

  function release(): void {
    inFlight -= 1;
    answered.push(now());
    wake?.();
  }

  async function grant(): Promise<() => void> {
    for (;;) {
      const t = now();
      while (answered.length > 0 && (answered[0] as number) <= t - windowMs) answered.shift();
      const paced = t >= lastGrant + gapMs;
      if (inFlight + answered.length < limit && paced) {
        inFlight += 1;
        lastGrant = t;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          release();
        };
      }
      // Full: the oldest answer leaves the window then, or an answer comes back (woken earlier);
      // all in flight and none answered: wait for an answer (a long sleep an answer cuts short).
      const freed = inFlight + answered.length < limit ? t : answered.length > 0 ? (answered[0] as number) + windowMs : t + windowMs;
      await sleep(Math.max(freed, lastGrant + gapMs) - t);
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
 * refusal. No pacing inside a window: Google does not ask for any. A request still unanswered
 * when a window opens counts in the new window too: it may arrive there (a request granted at
 * 59.99 s that Google counts in the next minute must not make that minute one over, which Google
 * would refuse and close for a whole minute).
 */
export interface WindowQuota {
  /** Resolves when a request may be sent, with the function to call once its answer is back. */
  acquire(): Promise<() => void>;
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
  let inFlight = 0;
  const windowOf = (t: number) => Math.floor(t / windowMs);
  const nextWindowAt = () => (windowOf(now()) + 1) * windowMs;
  return {
    async acquire() {
      for (;;) {
        const current = windowOf(now());
        if (current !== window) {
          window = current;
          used = inFlight;
        }
        if (used < limit) {
          used += 1;
          inFlight += 1;
          let answered = false;
          return () => {
            if (answered) return;
            answered = true;
            inFlight -= 1;
          };
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
