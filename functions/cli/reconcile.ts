// `mesh-remediator reconcile [--dry-run]`: the same reconcile the function runs, by hand, for
// every declared service (or --service). Exit 0 when everything ends in sync, 2 when drift is
// left (dry-run, paused, breaker), 1 when a repair failed.
import { mapConcurrent } from '../concurrency';
import type { Outcome } from '../reconcile/model';
import { EXIT, type CommandAction } from './command';
import { cliRuntime, selectKeys, type CommonOptions } from './options';
import { driftSection, outcomeHeadline } from './render';

export const reconcile: CommandAction = async (input, io) => {
  const values = input.opts as CommonOptions;
  const runtime = cliRuntime(io, values);
  const keys = selectKeys(runtime, values.service);
  const outcomes = await mapConcurrent(keys, runtime.env.sweepConcurrency, (key) => runtime.reconcile(key, values.dryRun ? { dryRun: true } : {}));
  await runtime.notifier.close(); // flush, and release a report topic client so the process can end
  if (values.json) io.stdout(JSON.stringify({ outcomes }, null, 2) + '\n');
  else for (const outcome of outcomes) io.stdout(`${outcomeHeadline(outcome)}\n${outcome.plan.drift.length > 0 ? driftSection(outcome) : ''}`);
  return exitCode(outcomes);
};

export function exitCode(outcomes: Outcome[]): number {
  if (outcomes.some((o) => o.status === 'failed')) return EXIT.error;
  if (outcomes.some((o) => o.status !== 'in-sync' && o.status !== 'repaired')) return EXIT.drift;
  return EXIT.ok;
}
