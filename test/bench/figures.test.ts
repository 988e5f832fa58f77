import { figure, formatTable, median, meets, missBy, ratio } from '../../bench/figures';
import { googleClientPackages } from '../../bench/google-modules';
import { chainMinimumMs, quotaMinimumMs } from '../../bench/minimums';

describe('bench figures', () => {
  it('takes the median of odd and even sample counts, whatever their order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no samples');
  });

  it('rejects a baseline that is not positive instead of dividing by it', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(() => ratio(1, 0)).toThrow('baseline must be positive');
  });

  it('compares ratios in the direction of the target', () => {
    expect(meets(1.5, { comparison: '<=', limit: 1.5 })).toBe(true);
    expect(meets(1.51, { comparison: '<=', limit: 1.5 })).toBe(false);
    expect(meets(0.9, { comparison: '>=', limit: 1 })).toBe(false);
    expect(missBy(1.65, { comparison: '<=', limit: 1.5 })).toBeCloseTo(10);
    expect(missBy(1.2, { comparison: '<=', limit: 1.5 })).toBe(0);
  });

  it('builds a figure from medians and fails it when a check fails though the ratio is met', () => {
    const f = figure({
      id: '1',
      title: 'cold',
      samples: [300, 100, 200],
      unit: 'ms',
      baseline: { label: 'bare', samples: [100, 150, 50] },
      target: { comparison: '<=', limit: 2 },
      checks: [{ name: 'extra RSS MiB', value: 20, target: '<= 15', met: false }],
    });
    expect(f.value).toBe(200);
    expect(f.baseline.value).toBe(100);
    expect(f.ratio).toBe(2);
    expect(f.met).toBe(false);
    expect(formatTable([f])).toContain('**no** (a check missed)');
  });

  it('accepts a computed baseline and renders one table row per figure', () => {
    const f = figure({
      id: '3',
      title: 'chain',
      samples: [3100],
      unit: 'ms',
      baseline: { label: 'dependency minimum', value: 3000 },
      target: { comparison: '<=', limit: 1.1 },
    });
    const table = formatTable([f, { ...f, id: '4' }]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toBe('| 3 | chain | 1.033× | <= 1.1× | 3,100 ms | 3,000 ms (dependency minimum) | - | yes |');
  });
});

describe('google client module check', () => {
  it('names each client package found among loaded module paths, once', () => {
    const paths = [
      '/app/node_modules/@google-cloud/functions-framework/build/src/index.js',
      '/app/node_modules/@google-cloud/compute/build/src/v1/addresses_client.js',
      '/app/node_modules/@google-cloud/compute/build/src/index.js',
      '/app/node_modules/google-gax/build/src/fallback.js',
      '/app/node_modules/@google-cloud/pubsub/build/src/index.js',
      '/app/node_modules/@google-cloud/run/build/src/index.js',
      '/app/build/functions/gcp/adapter.js',
      '/app/node_modules/google-auth-library/build/src/index.js',
    ];
    expect(googleClientPackages(paths)).toEqual(['@google-cloud/compute', '@google-cloud/pubsub', '@google-cloud/run', 'google-gax']);
  });

  it('finds nothing in a process that loaded only the framework and our code', () => {
    expect(
      googleClientPackages([
        '/app/node_modules/@google-cloud/functions-framework/build/src/main.js',
        '/app/build/functions/index.js',
        '/app/node_modules/google-gax-like/index.js',
      ]),
    ).toEqual([]);
  });

  it('reads Windows-style paths too', () => {
    expect(googleClientPackages(['C:\\app\\node_modules\\google-gax\\build\\src\\index.js'])).toEqual(['google-gax']);
  });
});

describe('theoretical minimums', () => {
  it('counts a chain rebuild as two read rounds and five write levels of latency + operation', () => {
    expect(chainMinimumMs({ latencyMs: 50, operationDelayMs: 500 })).toBe(50 + 5 * 550 + 50);
    // A wait cannot answer before its own latency has passed.
    expect(chainMinimumMs({ latencyMs: 50, operationDelayMs: 10 }, 1)).toBe(50 + 100 + 50);
  });

  it('puts the last capped request floor((n-1)/cap) seconds after the first', () => {
    expect(quotaMinimumMs(6000, 20, 50)).toBe(299_050);
    expect(quotaMinimumMs(20, 20, 50)).toBe(50);
    expect(quotaMinimumMs(21, 20, 50)).toBe(1050);
    expect(quotaMinimumMs(0, 20, 50)).toBe(0);
  });
});
