// The sweep's summary from its shards' reports (REPORT_TOPIC, attribute kind=sweep-shard): a
// fanned-out sweep has no single process that saw every shard, so its summary is the reports
// joined. Pub/Sub delivers at least once, so a shard reported twice (redelivered after it had
// published) counts once: its last report.
import type { ShardReport } from './sweep-fanout';
import { joinSummaries, type SweepSummary } from './sweep';

export interface JoinedSweep {
  sweepId: string;
  /** distinct (project, region) shards reported */
  shards: number;
  /** durationMs: the slowest shard's (the reports carry no wall time of the whole sweep) */
  summary: SweepSummary;
}

/** Joins the reports of one sweep; reports of another sweep are a mistake the caller must see. */
export function joinShardReports(reports: readonly ShardReport[]): JoinedSweep {
  const sweepIds = [...new Set(reports.map((r) => r.sweepId))];
  if (sweepIds.length !== 1) throw new Error(`shard reports of exactly one sweep expected, got sweeps: ${sweepIds.join(', ') || 'none'}`);
  const byShard = new Map<string, ShardReport>();
  for (const report of reports) byShard.set(`${report.project}/${report.region}`, report);
  const parts = [...byShard.values()].map((r) => r.summary);
  return {
    sweepId: sweepIds[0] as string,
    shards: byShard.size,
    summary: joinSummaries(parts, Math.max(0, ...parts.map((p) => p.durationMs))),
  };
}
