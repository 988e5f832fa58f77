// Bounded exponential backoff with full jitter for transient Google errors (429/503/504, ...).
// Every knob is injectable so tests run in no time and deterministically.
import { GcpError } from '../gcp/port';

export interface RetryOptions {
  /** Total attempts, the first one included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); Math.random by default. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseMs: 200,
  capMs: 5000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^(retry-1))). */
export function backoffDelay(retry: number, options: Pick<RetryOptions, 'baseMs' | 'capMs' | 'random'>): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (retry - 1));
  return Math.floor(options.random() * ceiling);
}

export type Attempted<T> = { ok: true; value: T; attempts: number } | { ok: false; error: GcpError; attempts: number };

/** Runs `op`, retrying only transient failures, at most `maxAttempts` times in all. Never throws. */
export async function retryTransient<T>(op: () => Promise<T>, options: RetryOptions): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await op(), attempts: attempt };
    } catch (thrown) {
      const error = asGcpError(thrown);
      if (error.errorClass !== 'transient' || attempt >= options.maxAttempts) {
        return { ok: false, error, attempts: attempt };
      }
      await options.sleep(backoffDelay(attempt, options));
    }
  }
}

/** Anything the port throws that is not a GcpError is a bug or an unknown refusal: permanent. */
export function asGcpError(thrown: unknown): GcpError {
  if (thrown instanceof GcpError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new GcpError('permanent', `unexpected error: ${message}`);
}
