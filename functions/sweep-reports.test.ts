import type { ShardReport } from './sweep-fanout';
import { joinShardReports } from './sweep-reports';

const report = (project: string, region: string, summary: ShardReport['summary'], sweepId = 'sweep-1'): ShardReport => ({
  schemaVersion: 1,
  sweepId,
  project,
  region,
  dryRun: false,
  summary,
});

test('joins the shards of one sweep: services, statuses and errors added, the slowest shard as duration', () => {
  const joined = joinShardReports([
    report('p1', 'r1', { services: 2, byStatus: { 'in-sync': 2 }, errors: [], durationMs: 120 }),
    report('p2', 'r1', {
      services: 3,
      byStatus: { 'in-sync': 1, repaired: 1 },
      errors: [{ serviceKey: 'p2/r1/s', message: 'reading failed' }],
      durationMs: 450,
    }),
  ]);
  expect(joined).toEqual({
    sweepId: 'sweep-1',
    shards: 2,
    summary: {
      services: 5,
      byStatus: { 'in-sync': 3, repaired: 1 },
      errors: [{ serviceKey: 'p2/r1/s', message: 'reading failed' }],
      durationMs: 450,
    },
  });
});

test('a shard reported twice (Pub/Sub redelivered it) counts once, by its last report', () => {
  const joined = joinShardReports([
    report('p1', 'r1', { services: 2, byStatus: { 'drift-detected': 2 }, errors: [], durationMs: 100 }),
    report('p1', 'r1', { services: 2, byStatus: { 'in-sync': 2 }, errors: [], durationMs: 90 }),
  ]);
  expect(joined.shards).toBe(1);
  expect(joined.summary.byStatus).toEqual({ 'in-sync': 2 });
  expect(joined.summary.services).toBe(2);
});

test('reports of two sweeps, or none, are refused with the sweeps named', () => {
  const summary = { services: 1, byStatus: { 'in-sync': 1 }, errors: [], durationMs: 1 };
  expect(() => joinShardReports([report('p', 'r', summary, 'a'), report('p', 'r', summary, 'b')])).toThrow(
    'shard reports of exactly one sweep expected, got sweeps: a, b',
  );
  expect(() => joinShardReports([])).toThrow('got sweeps: none');
});
