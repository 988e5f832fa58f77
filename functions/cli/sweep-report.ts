// `mesh-remediator sweep-report --subscription projects/P/subscriptions/S [--sweep ID] [--ack]`:
// the summary of a fanned-out sweep. Each shard publishes its own summary on the report topic
// (attribute kind=sweep-shard); this pulls what waits on a subscription of that topic, joins one
// sweep's shard reports (a shard redelivered counts once: joinShardReports) and prints the sweep's
// summary. It acknowledges nothing unless --ack is given (then only the reports it joined): the
// report topic's subscriptions are often read by other tools too. Everything else pulled (outcome
// reports, other sweeps' reports, malformed ones) goes back on the subscription at once.
import { parseEnvironment } from '../config/environment';
import { MalformedShardError, type ShardReport } from '../sweep-fanout';
import { joinShardReports, parseShardReport, type JoinedSweep } from '../sweep-reports';
import { EXIT, UsageError, type CommandAction } from './command';
import { cliDocument, printJson } from './json-output';
import { drainWaitMs } from './options';
import { plural } from './render';
import { SubscriptionReader, type PulledMessage } from './subscription-reader';

interface SweepReportOptions {
  subscription?: string;
  drainWait?: string;
  sweep?: string;
  ack?: boolean;
  json?: boolean;
}

/** What the command pulled and did, beside the joined sweep (printed as the last line, and in --json). */
export interface SweepReportRead {
  subscription: string;
  pulled: number;
  /** shard reports of the chosen sweep, redeliveries included */
  joined: number;
  acknowledged: number;
  left: number;
  malformed: { index: number; error: string }[];
}

export const sweepReport: CommandAction = async (input, io) => {
  const values = input.opts as SweepReportOptions;
  if (!values.subscription)
    throw new UsageError('sweep-report needs --subscription projects/P/subscriptions/S (a subscription on the report topic)');
  const drainWait = drainWaitMs(values.drainWait);
  const reader = await SubscriptionReader.open(values.subscription, parseEnvironment(io.env).environment.pubsubEmulator, drainWait);
  try {
    const pulled = await reader.pullAll();
    const { bySweep, malformed } = shardReports(pulled);
    const chosen = chooseSweep(bySweep, values.sweep, values.subscription);
    const sweep = joinShardReports(chosen.map((r) => r.report));
    const ackIds = chosen.map((r) => r.ackId);
    if (values.ack) await reader.acknowledge(ackIds);
    const acknowledged = values.ack ? ackIds.length : 0;
    const read: SweepReportRead = {
      subscription: values.subscription,
      pulled: pulled.length,
      joined: chosen.length,
      acknowledged,
      left: pulled.length - acknowledged,
      malformed,
    };
    if (values.json) printJson(io, cliDocument('sweep-report', [], { ...read, sweep }));
    else {
      for (const m of malformed) io.stderr(`message ${m.index}: malformed shard report: ${m.error}\n`);
      io.stdout(sweepText(sweep, read));
    }
    return exitCode(sweep);
  } finally {
    await reader.close(); // what was not acknowledged goes back on the subscription now
  }
};

interface Pulled {
  ackId: string;
  report: ShardReport;
}

/** The shard reports among the messages (kind=sweep-shard), by sweep; other messages are not ours to judge. */
function shardReports(messages: PulledMessage[]): { bySweep: Map<string, Pulled[]>; malformed: SweepReportRead['malformed'] } {
  const bySweep = new Map<string, Pulled[]>();
  const malformed: SweepReportRead['malformed'] = [];
  messages.forEach((message, index) => {
    if (message.attributes.kind !== 'sweep-shard') return;
    try {
      const report = parseShardReport(message.data);
      bySweep.set(report.sweepId, [...(bySweep.get(report.sweepId) ?? []), { ackId: message.ackId, report }]);
    } catch (err) {
      if (!(err instanceof MalformedShardError)) throw err;
      malformed.push({ index, error: err.message });
    }
  });
  return { bySweep, malformed };
}

/** The sweep asked for, or the only one there; reports of several sweeps are never joined. */
function chooseSweep(bySweep: Map<string, Pulled[]>, wanted: string | undefined, subscription: string): Pulled[] {
  const present = [...bySweep].map(([id, reports]) => `${id} (${plural(reports.length, 'report')})`).join(', ') || 'none';
  if (wanted !== undefined) {
    const chosen = bySweep.get(wanted);
    if (!chosen) throw new Error(`no shard report of sweep ${wanted} waits on ${subscription}; sweeps there: ${present}`);
    return chosen;
  }
  if (bySweep.size === 0) throw new Error(`no shard report waits on ${subscription} (messages with attribute kind=sweep-shard)`);
  if (bySweep.size > 1)
    throw new UsageError(`shard reports of ${bySweep.size} sweeps wait on ${subscription}: ${present}; choose one with --sweep ID`);
  return [...bySweep.values()][0] as Pulled[];
}

function sweepText(sweep: JoinedSweep, read: SweepReportRead): string {
  const { summary } = sweep;
  const statuses =
    Object.entries(summary.byStatus)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `sweep ${sweep.sweepId}${sweep.dryRun ? ' (dry run)' : ''}: ${plural(sweep.shards, 'shard')} reported (${sweep.shardKeys.join(', ')}), slowest ${(summary.durationMs / 1000).toFixed(1)} s`,
    `${plural(summary.services, 'service')}: ${statuses}; ${plural(summary.errors.length, 'error')}`,
    ...summary.errors.map((e) => `  ${e.serviceKey}: ${e.message}`),
    `sweep-report: ${plural(read.pulled, 'message')} pulled from ${read.subscription}, ${plural(read.joined, 'shard report')} joined; ` +
      `${read.acknowledged} acknowledged, ${read.left} left on the subscription${read.acknowledged === 0 && read.joined > 0 ? ' (--ack acknowledges the joined reports)' : ''}`,
  ];
  return lines.join('\n') + '\n';
}

/** 0 every service in sync or repaired, 2 drift left (dry run, paused, breaker, policy), 1 a failure or an error. */
function exitCode(sweep: JoinedSweep): number {
  const { byStatus, errors } = sweep.summary;
  if (errors.length > 0 || (byStatus.failed ?? 0) > 0) return EXIT.error;
  const settled = (byStatus['in-sync'] ?? 0) + (byStatus.repaired ?? 0);
  return settled === sweep.summary.services ? EXIT.ok : EXIT.drift;
}
