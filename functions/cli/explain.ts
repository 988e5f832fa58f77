// `mesh-remediator explain FILE|-`: what the function would do with an event, and why. Each record
// goes through the function's own intake: a skip is named with its reason and why; a routed event
// names the services it points at and the plan a reconcile would make now (a dry-run read). Writes
// nothing and notifies no one. Exit 1 when a record is malformed, 2 when a plan has drift, else 0.
import { Admission } from '../admission';
import { SKIP_WHY } from '../notify/describe';
import type { SkipReason } from '../events/audit-event';
import { intake } from '../events/intake';
import type { Outcome } from '../reconcile/model';
import { EXIT, UsageError, type CommandAction } from './command';
import { colours } from './colour';
import { readFleet } from './fleet';
import { cliDocument, printJson } from './json-output';
import { cliRuntime } from './command-deps';
import type { CommonOptions } from './options';
import { outcomeText } from './reconcile';
import { readInput } from './replay';
import { splitRecords } from './replay-records';
import { driftExitCode } from './verdict';

/** One record's fate, as --json prints it beside the reports. */
export type Explained =
  | { index: number; verdict: 'malformed'; detail: string }
  | { index: number; verdict: 'skip'; reason: SkipReason; detail: string; why: string }
  | { index: number; verdict: 'reconcile'; methodName: string; principal: string | null; timestamp: string | null; services: string[] };

export const explain: CommandAction = async (input, io) => {
  const values = input.opts as Pick<CommonOptions, 'config' | 'json'>;
  const source = input.args[0] as string;
  const records = splitRecords(await readInput(source, io));
  if (records.length === 0) throw new UsageError(`${source === '-' ? 'stdin' : source}: no records (the input is empty)`);
  const runtime = await cliRuntime(io, { ...values, dryRun: true });
  const context = await runtime.intakeContext();

  // A fresh instance's admission: a later record of an operation phase already seen is a duplicate,
  // as it would be for the function (it has no verified reads yet, so nothing is already-verified).
  const admission = new Admission();
  const explained: Explained[] = records.map((record): Explained => {
    if ('error' in record) return { index: record.index, verdict: 'malformed', detail: record.error };
    const result = intake(record.value, context);
    if (result.kind === 'skip') {
      if (result.reason === 'malformed') return { index: record.index, verdict: 'malformed', detail: result.detail };
      return { index: record.index, verdict: 'skip', reason: result.reason, detail: result.detail, why: SKIP_WHY[result.reason] };
    }
    const admitted = admission.admit(result);
    if (admitted.kind === 'skip')
      return { index: record.index, verdict: 'skip', reason: admitted.reason, detail: admitted.detail, why: SKIP_WHY[admitted.reason] };
    const { event } = result;
    return {
      index: record.index,
      verdict: 'reconcile',
      methodName: event.methodName,
      principal: event.principal ?? null,
      timestamp: event.timestamp ?? null,
      services: result.keys,
    };
  });
  const keys = [...new Set(explained.flatMap((e) => (e.verdict === 'reconcile' ? e.services : [])))];
  const outcomes = await readFleet(io, runtime, keys);

  if (values.json) printJson(io, cliDocument('explain', outcomes, { events: explained }));
  else io.stdout(explainText(explained, outcomes, io));
  if (explained.some((e) => e.verdict === 'malformed')) return EXIT.error;
  return driftExitCode(outcomes);
};

function explainText(explained: Explained[], outcomes: Outcome[], io: Parameters<CommandAction>[1]): string {
  const c = colours(io);
  const byKey = new Map(outcomes.map((o) => [o.serviceKey, o]));
  const shown = new Set<string>();
  const lines: string[] = [];
  for (const e of explained) {
    const head = explained.length > 1 ? `record ${e.index}: ` : '';
    if (e.verdict === 'malformed') lines.push(`${head}${c.red('malformed')}: ${e.detail}`);
    else if (e.verdict === 'skip') lines.push(`${head}${c.yellow(`skipped (${e.reason})`)}: ${e.detail}`, `  why: ${e.why}`);
    else {
      const who = `${e.methodName} by ${e.principal ?? 'an unknown principal'}${e.timestamp ? ` at ${e.timestamp}` : ''}`;
      lines.push(`${head}${c.green('reconcile')}: ${who}`, `  routes to ${e.services.join(', ')}`);
      for (const key of e.services) {
        const outcome = byKey.get(key);
        if (!outcome || shown.has(key)) continue;
        shown.add(key);
        lines.push(
          `  a reconcile now would find:`,
          ...outcomeText(outcome, io)
            .trimEnd()
            .split('\n')
            .map((line) => `    ${line}`),
        );
      }
    }
  }
  return lines.join('\n') + '\n';
}
