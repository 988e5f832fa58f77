// `mesh-remediator replay [--dry-run] [--publish TOPIC] [--since T] [--until T] FILE|-`
// Reads exported audit events in any of the shapes they come in, reports malformed records by
// index and goes on, and reconciles each affected service once however many events name it
// (level-triggered: the events only say where to look). --publish instead republishes the
// routed entries to the trigger topic, for the deployed function to handle.
import { readFile } from 'node:fs/promises';
import { mapConcurrent } from '../concurrency';
import { parseTopicName } from '../pubsub-topic';
import type { Outcome } from '../reconcile/model';
import type { CliDeps } from '../composition-root';
import { EXIT, UsageError, type CliIO, type CommandAction } from './command';
import { cliRuntime, selectKeys } from './command-deps';
import { drainWaitMs, type CommonOptions } from './options';
import { progress } from './progress';
import { exitCode, outcomeText } from './reconcile';
import { cliDocument, printJson } from './json-output';
import { plural } from './render';
import { collectEvents, type ReplayEvents } from './replay-events';
import { publishEntries } from './replay-publish';
import { replaySubscription } from './replay-subscription';
import { splitRecords } from './replay-records';
import { sayWhileGoogleAnswers, sayWhileWaiting } from './waiting';

interface ReplayOptions extends CommonOptions {
  publish?: string;
  subscription?: string;
  drainWait?: string;
  since?: string;
  until?: string;
}

/** What replay read and did, besides the outcomes (printed as the summary line, and beside `reports` with --json). */
export interface ReplaySummary {
  records: number;
  malformed: { index: number; error: string }[];
  skipped: Record<string, number>;
  outOfRange: number;
  services: string[];
  published?: number;
}

export const replay: CommandAction = async (input, io) => {
  const values = input.opts as ReplayOptions;
  const positionals = input.args;
  const publishTo = values.publish === undefined ? undefined : parseTopicName(values.publish);
  if (values.publish && !publishTo) throw new UsageError(`--publish must be projects/PROJECT/topics/TOPIC, got ${values.publish}`);
  if (values.publish && values.dryRun) {
    throw new UsageError('--dry-run and --publish do not mix: the deployed function decides (its DRY_RUN) what republished entries do');
  }
  if (values.subscription !== undefined) return replayFromSubscription(values, positionals, io);
  if (values.drainWait !== undefined) throw new UsageError('--drain-wait goes only with --subscription');
  if (positionals[0] === undefined)
    throw new UsageError('replay needs a FILE (- reads stdin) or --subscription projects/P/subscriptions/S');
  const since = parseTime('--since', values.since);
  const until = parseTime('--until', values.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError(`--since ${values.since} is not before --until ${values.until}: nothing could match`);
  }
  const text = await readInput(positionals[0] as string, io);
  const runtime = await cliRuntime(io, values);
  const services = values.service?.length ? new Set(selectKeys(runtime, values.service)) : undefined;

  const records = splitRecords(text);
  if (records.length === 0) throw new UsageError(`${positionals[0] === '-' ? 'stdin' : positionals[0]}: no records (the input is empty)`);
  const bar = progress(io, 'reading');
  const events = collectEvents(
    records,
    await runtime.intakeContext(),
    { since, until, services, keepEntries: Boolean(values.publish) },
    (done) => bar.tick(done, records.length),
  );
  bar.done();
  if (!values.json) for (const m of events.malformed) io.stderr(`record ${m.index}: malformed: ${m.error}\n`);

  const { entries, triggers, ...counts } = events;
  const summary: ReplaySummary = { records: records.length, ...counts, services: [...triggers.keys()] };
  let outcomes: Outcome[] = [];
  if (publishTo) summary.published = await publishEntries(publishTo, entries, runtime.environment);
  else outcomes = await reconcileAll(runtime, events, io, { dryRun: Boolean(values.dryRun), json: Boolean(values.json) });

  if (values.json) printJson(io, cliDocument('replay', outcomes, summary));
  else io.stdout(summaryLine(summary, outcomes.length) + '\n');
  // Input that was nothing but malformed records is an error; otherwise the outcomes decide.
  if (summary.malformed.length > 0 && summary.malformed.length === summary.records) return EXIT.error;
  return exitCode(outcomes);
};

/** `--subscription`: the dead letters, pulled; each message acknowledged once its services were reconciled. */
async function replayFromSubscription(values: ReplayOptions, positionals: unknown[], io: CliIO): Promise<number> {
  if (positionals[0] !== undefined) throw new UsageError('--subscription reads the subscription, not a FILE: give one or the other');
  for (const flag of ['publish', 'since', 'until'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not go with --subscription`);
  }
  const drainWait = drainWaitMs(values.drainWait);
  const runtime = await cliRuntime(io, values);
  const done = await sayWhileGoogleAnswers(
    io,
    runtime,
    replaySubscription(values.subscription as string, runtime, {
      dryRun: Boolean(values.dryRun),
      drainWaitMs: drainWait,
      onOutcome: (outcome) => {
        if (!values.json) io.stdout(outcomeText(outcome, io));
      },
    }),
  );
  await sayWhileWaiting(io, runtime.notifier.close(), () => runtime.notifier.pending());
  const { outcomes, ...summary } = done;
  if (values.json) printJson(io, cliDocument('replay', outcomes, summary));
  else {
    const skipped =
      Object.entries(summary.skipped)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ') || 'none';
    io.stdout(
      `replay: ${plural(summary.pulled, 'message')} pulled from ${summary.subscription}, skipped: ${skipped}; ` +
        `${plural(summary.services.length, 'service')} reconciled; ${summary.acknowledged} acknowledged, ${summary.left} left on the subscription\n`,
    );
  }
  return exitCode(outcomes);
}

/** One reconcile per affected service: plain lines as they finish, or a progress bar on a terminal. */
async function reconcileAll(
  runtime: CliDeps,
  events: ReplayEvents,
  io: CliIO,
  flags: { dryRun: boolean; json: boolean },
): Promise<Outcome[]> {
  const keys = [...events.triggers.keys()];
  const bar = progress(io, 'reconciling');
  let done = 0;
  const reconciles = mapConcurrent(keys, runtime.environment.sweepConcurrency, async (key) => {
    const outcome = await runtime.reconcile(key, { trigger: events.triggers.get(key), ...(flags.dryRun ? { dryRun: true } : {}) });
    bar.tick(++done, keys.length);
    if (!io.isTTY && !flags.json) io.stdout(outcomeText(outcome, io));
    return outcome;
  });
  const outcomes = await sayWhileGoogleAnswers(io, runtime, reconciles);
  bar.done();
  // Flush, and release a report topic client so the process can end.
  await sayWhileWaiting(io, runtime.notifier.close(), () => runtime.notifier.pending());
  if (io.isTTY && !flags.json) for (const o of outcomes) io.stdout(outcomeText(o, io));
  return outcomes;
}

function summaryLine(s: ReplaySummary, reconciled: number): string {
  const skipped =
    Object.entries(s.skipped)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ') || 'none';
  const action =
    s.published !== undefined ? `${plural(s.published, 'entry', 'entries')} republished` : `${plural(reconciled, 'service')} reconciled`;
  return `replay: ${plural(s.records, 'record')}, ${s.malformed.length} malformed, ${s.outOfRange} outside the time range, skipped: ${skipped}; ${plural(s.services.length, 'service')} affected, ${action}`;
}

/** RFC 3339 date-time (section 5.6): a full date, a time with seconds, and a zone; nothing looser. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseTime(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!RFC3339.test(value) || Number.isNaN(t))
    throw new UsageError(`${flag} must be an RFC 3339 time such as 2026-11-25T09:00:00Z, got ${JSON.stringify(value)}`);
  return t;
}

export async function readInput(path: string, io: CliIO): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
