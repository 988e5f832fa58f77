// `mesh-remediator reconcile [--dry-run]`: the same reconcile the function runs, by hand, for
// every declared service (or --service), notifying as the function does. Exit 0 when everything
// ends in sync, 2 when drift is left (dry-run, paused, breaker, policy), 1 when a repair failed.
import { mapConcurrent } from '../concurrency';
import type { Outcome } from '../reconcile/model';
import { EXIT, type CliIO, type CommandAction } from './command';
import { colours } from './colour';
import { cliDocument, printJson } from './json-output';
import { cliRuntime, selectKeys } from './command-deps';
import type { CommonOptions } from './options';
import { sayWhileGoogleAnswers, sayWhileWaiting } from './waiting';
import { driftSection, outcomeHeadline, planSteps, stepsRun } from './render';

export const reconcile: CommandAction = async (input, io) => {
  const values = input.opts as CommonOptions;
  const runtime = await cliRuntime(io, values);
  const keys = selectKeys(runtime, values.service);
  const outcomes = await sayWhileGoogleAnswers(
    io,
    runtime,
    mapConcurrent(keys, runtime.environment.sweepConcurrency, (key) => runtime.reconcile(key, values.dryRun ? { dryRun: true } : {})),
  );
  // Flush, and release a report topic client so the process can end.
  await sayWhileWaiting(io, runtime.notifier.close(), () => runtime.notifier.pending());
  if (values.json) printJson(io, cliDocument('reconcile', outcomes));
  else for (const outcome of outcomes) io.stdout(outcomeText(outcome, io));
  return exitCode(outcomes);
};

/** The headline, then (when there was drift) the table, the steps planned for a dry run or the steps run. */
export function outcomeText(outcome: Outcome, io: CliIO): string {
  const c = colours(io);
  const head = outcomeHeadline(outcome, c) + '\n';
  if (outcome.plan.drift.length === 0) return head;
  const table = driftSection(outcome, c).split('\n').slice(1).join('\n'); // the headline already names the service
  const steps = outcome.steps.length > 0 ? stepsRun(outcome, c) : planSteps(outcome.plan, c);
  return head + table + steps;
}

export function exitCode(outcomes: Outcome[]): number {
  if (outcomes.some((o) => o.status === 'failed')) return EXIT.error;
  if (outcomes.some((o) => o.status !== 'in-sync' && o.status !== 'repaired')) return EXIT.drift;
  return EXIT.ok;
}
