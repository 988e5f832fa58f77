// The sweep's summary from its shards' reports (REPORT_TOPIC, attribute kind=sweep-shard): a
// fanned-out sweep has no single process that saw every shard, so its summary is the reports
// joined. Pub/Sub delivers at least once, so a shard reported twice (redelivered after it had
// published) counts once: its last report.
import { MalformedShardError, parseShardMessage, type ShardReport } from './sweep-fanout';
import { joinSummaries, type SweepSummary } from './sweep';

export interface JoinedSweep {
  sweepId: string;
  /** distinct (project, region) shards reported */
  shards: number;
  /** those shards as project/region, sorted */
  shardKeys: string[];
  /** the sweep was a dry run (its shards say so) */
  dryRun: boolean;
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
    shardKeys: [...byShard.keys()].sort(),
    dryRun: reports.some((r) => r.dryRun),
    summary: joinSummaries(parts, Math.max(0, ...parts.map((p) => p.durationMs))),
  };
}

/** Reads a shard report from a report-topic message's data (base64 JSON): a shard message and its summary. */
export function parseShardReport(data: string): ShardReport {
  const shard = parseShardMessage(data);
  const { summary } = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { summary?: Partial<SweepSummary> | null };
  const counts = summary?.byStatus;
  if (
    typeof summary?.services !== 'number' ||
    typeof summary.durationMs !== 'number' ||
    !Array.isArray(summary.errors) ||
    typeof counts !== 'object' ||
    counts === null ||
    !Object.values(counts).every((n) => typeof n === 'number')
  ) {
    throw new MalformedShardError('sweep shard report: summary must be {services, byStatus: {status: count}, errors: [], durationMs}');
  }
  return { ...shard, summary: summary as SweepSummary };
}
