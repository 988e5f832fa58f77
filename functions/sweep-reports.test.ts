import type { ShardReport } from './sweep-fanout';
import { MalformedShardError } from './sweep-fanout';
import { joinShardReports, parseShardReport } from './sweep-reports';

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
    shardKeys: ['p1/r1', 'p2/r1'],
    dryRun: false,
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

test('a report-topic message reads back as the shard report the shard published; anything else is malformed, said why', () => {
  const published = report('p1', 'r1', { services: 2, byStatus: { repaired: 2 }, errors: [], durationMs: 7 });
  const data = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64');
  expect(parseShardReport(data(published))).toEqual(published);
  expect(() => parseShardReport(data({ ...published, summary: { services: 2 } }))).toThrow(
    'sweep shard report: summary must be {services, byStatus: {status: count}, errors: [], durationMs}',
  );
  // An outcome report (the topic's other messages) is not a shard report.
  expect(() => parseShardReport(data({ schemaVersion: 2, serviceKey: 'p/r/s', status: 'repaired' }))).toThrow(MalformedShardError);
});
