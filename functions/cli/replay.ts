// `mesh-remediator replay [--dry-run] [--publish TOPIC] [--since T] [--until T] FILE|-`
// Reads exported audit events in any of the shapes they come in, reports malformed records by
// index and goes on, and reconciles each affected service once however many events name it
// (level-triggered: the events only say where to look). --publish instead republishes the
// routed entries to the trigger topic, for the deployed function to handle.
import { readFile } from 'node:fs/promises';
import { mapConcurrent } from '../concurrency';
import { intake } from '../events/intake';
import { toLogEntry } from '../events/envelope';
import type { AuditEvent } from '../events/audit-event';
import type { LogEntry } from '../events/log-entry';
import type { Outcome } from '../reconcile/model';
import { EXIT, UsageError, type CliIO, type Command } from './command';
import { cliRuntime, COMMON_OPTIONS, parseCommandArgs } from './options';
import { progress } from './progress';
import { exitCode } from './reconcile';
import { outcomeHeadline } from './render';
import { splitRecords } from './replay-records';

const OPTIONS = {
  ...COMMON_OPTIONS,
  publish: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
} as const;

export interface ReplaySummary {
  records: number;
  malformed: { index: number; error: string }[];
  skipped: Record<string, number>;
  outOfRange: number;
  services: string[];
  published?: number;
  outcomes: Outcome[];
}

export const replay: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError('replay needs exactly one FILE (or - for stdin)');
  if (values.publish && !/^projects\/[^/]+\/topics\/[^/]+$/.test(values.publish)) {
    throw new UsageError(`--publish must be projects/PROJECT/topics/TOPIC, got ${values.publish}`);
  }
  if (values.publish && values['dry-run']) {
    throw new UsageError('--dry-run and --publish do not mix: the deployed function decides (its DRY_RUN) what republished entries do');
  }
  const since = parseTime('--since', values.since);
  const until = parseTime('--until', values.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError(`--since ${values.since} is not before --until ${values.until}: nothing could match`);
  }
  const text = await readInput(positionals[0] as string, io);
  const runtime = cliRuntime(io, values);
  const context = await runtime.intakeContext();

  const summary: ReplaySummary = { records: 0, malformed: [], skipped: {}, outOfRange: 0, services: [], outcomes: [] };
  // Each affected service once, with the latest event that named it (who changed it, for Slack/reports).
  const triggers = new Map<string, AuditEvent>();
  const toPublish: LogEntry[] = [];
  const bar = progress(io, 'reading');
  const records = splitRecords(text);
  summary.records = records.length;
  for (const record of records) {
    bar.tick(record.index + 1, records.length);
    if ('error' in record) {
      summary.malformed.push({ index: record.index, error: record.error });
      continue;
    }
    const result = intake(record.value, context);
    if (result.kind === 'skip') {
      if (result.reason === 'malformed') summary.malformed.push({ index: record.index, error: result.detail });
      else summary.skipped[result.reason] = (summary.skipped[result.reason] ?? 0) + 1;
      continue;
    }
    const at = result.event.timestamp ? Date.parse(result.event.timestamp) : NaN;
    if ((since !== undefined && !(at >= since)) || (until !== undefined && !(at < until))) {
      summary.outOfRange++;
      continue;
    }
    for (const key of result.keys) {
      const seen = triggers.get(key);
      if (!seen || !(Date.parse(seen.timestamp ?? '') > at)) triggers.set(key, result.event);
    }
    if (values.publish) toPublish.push(toLogEntry(record.value));
  }
  bar.done();
  for (const m of summary.malformed) if (!values.json) io.stderr(`record ${m.index}: malformed: ${m.error}\n`);
  summary.services = [...triggers.keys()];

  if (values.publish) {
    summary.published = await publishEntries(values.publish, toPublish, io.env);
  } else {
    const work = progress(io, 'reconciling');
    let done = 0;
    summary.outcomes = await mapConcurrent(summary.services, runtime.env.sweepConcurrency, async (key) => {
      const outcome = await runtime.reconciler.reconcile(key, { trigger: triggers.get(key), ...(values['dry-run'] ? { dryRun: true } : {}) });
      await runtime.notifier.notify(outcome);
      work.tick(++done, summary.services.length);
      if (!io.isTTY && !values.json) io.stdout(outcomeHeadline(outcome) + '\n');
      return outcome;
    });
    work.done();
    await runtime.notifier.close(); // flush, and release a report topic client so the process can end
    if (io.isTTY && !values.json) for (const o of summary.outcomes) io.stdout(outcomeHeadline(o) + '\n');
  }

  if (values.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
  else io.stdout(summaryLine(summary) + '\n');
  return summary.malformed.length > 0 && summary.services.length === 0 && summary.records > 0 ? EXIT.error : exitCode(summary.outcomes);
};

function summaryLine(s: ReplaySummary): string {
  const skipped = Object.entries(s.skipped).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  const action = s.published !== undefined ? `${s.published} entries republished` : `${s.outcomes.length} services reconciled`;
  return `replay: ${s.records} records, ${s.malformed.length} malformed, ${s.outOfRange} outside the time range, skipped: ${skipped}; ${s.services.length} services affected, ${action}`;
}

function parseTime(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`${flag} must be an RFC 3339 time, got ${JSON.stringify(value)}`);
  return t;
}

async function readInput(path: string, io: CliIO): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Republishes as a Log Router sink would: LogEntry JSON as data, its timestamp as an attribute. */
async function publishEntries(topicName: string, entries: LogEntry[], env: NodeJS.ProcessEnv): Promise<number> {
  const { PubSub } = require('@google-cloud/pubsub') as typeof import('@google-cloud/pubsub');
  const [, project, , topicId] = topicName.split('/') as [string, string, string, string];
  // The library reads PUBSUB_EMULATOR_HOST from process.env; the CLI's environment is io.env.
  const emulator = env.PUBSUB_EMULATOR_HOST;
  const pubsub = new PubSub({ projectId: project, ...(emulator ? { apiEndpoint: emulator, emulatorMode: true } : {}) });
  const topic = pubsub.topic(topicId);
  try {
    await Promise.all(
      entries.map((entry) =>
        topic.publishMessage({
          data: Buffer.from(JSON.stringify(entry)),
          attributes: entry.timestamp ? { 'logging.googleapis.com/timestamp': entry.timestamp } : {},
        }),
      ),
    );
  } finally {
    await pubsub.close();
  }
  return entries.length;
}
