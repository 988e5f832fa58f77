import { CLOCK_MARGIN_MS, VerifiedReads } from './verified-reads';

const key = 'demo-project/asia-northeast1/server-service';
const at = (ms: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + ms).toISOString();

test('a change before a verified read (beyond the clock margin) is covered; a later one is not', () => {
  const reads = new VerifiedReads();
  expect(reads.covers(key, at(0))).toBe(false); // nothing read yet
  reads.record({ serviceKey: key, status: 'repaired', startedAt: at(10_000) });
  expect(reads.covers(key, at(10_000 - CLOCK_MARGIN_MS - 1))).toBe(true);
  expect(reads.covers(key, at(10_000 - CLOCK_MARGIN_MS))).toBe(false); // inside the margin: not trusted
  expect(reads.covers(key, at(10_001))).toBe(false); // after the read began
  expect(reads.covers('other/key/svc', at(0))).toBe(false);
});

test('only reads that ended in the declared state count, and a later read never moves back', () => {
  const reads = new VerifiedReads();
  for (const status of ['failed', 'paused', 'drift-detected', 'breaker-open'])
    reads.record({ serviceKey: key, status, startedAt: at(10_000) });
  expect(reads.covers(key, at(0))).toBe(false);
  reads.record({ serviceKey: key, status: 'in-sync', startedAt: at(20_000) });
  reads.record({ serviceKey: key, status: 'repaired', startedAt: at(5_000) }); // an older run finishing late
  expect(reads.covers(key, at(15_000))).toBe(true);
});

test('an event without a usable timestamp is never covered', () => {
  const reads = new VerifiedReads();
  reads.record({ serviceKey: key, status: 'repaired', startedAt: at(10_000) });
  expect(reads.covers(key, undefined)).toBe(false);
  expect(reads.covers(key, 'yesterday')).toBe(false);
});
