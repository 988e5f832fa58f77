import { GcpError } from '../gcp/port';
import { backoffDelay, retryTransient, type RetryOptions } from './retry';

function options(random = () => 0.999): RetryOptions & { slept: number[] } {
  const slept: number[] = [];
  return { maxAttempts: 5, baseMs: 200, capMs: 5000, random, sleep: async (ms) => void slept.push(ms), slept };
}

describe('backoffDelay', () => {
  it('grows exponentially under the cap, with full jitter', () => {
    const max = options();
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, max))).toEqual([199, 399, 799, 1598, 3196, 4995, 4995]);
    expect(
      backoffDelay(
        3,
        options(() => 0),
      ),
    ).toBe(0);
  });
});

describe('retryTransient', () => {
  it('retries transient errors up to maxAttempts, then returns the last error', async () => {
    const opts = options();
    let calls = 0;
    const result = await retryTransient(async () => {
      calls++;
      throw new GcpError('transient', `busy ${calls}`, 14, 503);
    }, opts);
    expect(result).toMatchObject({ ok: false, attempts: 5, error: { message: 'busy 5' } });
    expect(opts.slept).toHaveLength(4);
  });

  it.each(['permanent', 'conflict', 'alreadyExists', 'notFound'] as const)('does not retry %s', async (errorClass) => {
    const opts = options();
    const result = await retryTransient(async () => Promise.reject(new GcpError(errorClass, 'no')), opts);
    expect(result).toMatchObject({ ok: false, attempts: 1, error: { errorClass } });
    expect(opts.slept).toEqual([]);
  });

  it('treats a foreign error as permanent', async () => {
    const result = await retryTransient(async () => Promise.reject(new TypeError('boom')), options());
    expect(result).toMatchObject({ ok: false, attempts: 1, error: { errorClass: 'permanent', message: 'unexpected error: boom' } });
  });
});
