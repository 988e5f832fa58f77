// `mesh-remediator diff`: read, compare, print; never writes. Exit codes follow
// `terraform plan -detailed-exitcode`: 0 no drift, 2 drift, 1 error.
import { mapConcurrent } from '../concurrency';
import { EXIT, type CommandAction } from './command';
import { cliRuntime, selectKeys, type CommonOptions } from './options';
import { driftSection, planSteps } from './render';

export const diff: CommandAction = async (input, io) => {
  const values = input.opts as CommonOptions;
  const runtime = cliRuntime(io, { ...values, dryRun: true });
  const keys = selectKeys(runtime, values.service);
  const outcomes = await mapConcurrent(keys, runtime.env.sweepConcurrency, (key) => runtime.reconciler.reconcile(key, { dryRun: true }));
  if (values.json) {
    io.stdout(JSON.stringify({ services: outcomes.map((o) => ({ serviceKey: o.serviceKey, status: o.status, reason: o.reason, drift: o.plan.drift, plan: o.plan })) }, null, 2) + '\n');
  } else {
    for (const outcome of outcomes) io.stdout(driftSection(outcome) + planSteps(outcome.plan));
  }
  if (outcomes.some((o) => o.readError)) return EXIT.error;
  return outcomes.some((o) => o.plan.drift.length > 0) ? EXIT.drift : EXIT.ok;
};
