// `mesh-remediator diff`: read, compare, print; never writes, never notifies. Exit codes follow
// `terraform plan -detailed-exitcode`: 0 no drift, 2 drift, 1 error.
import { chainOf } from '../reconcile/chain';
import type { Outcome } from '../reconcile/model';
import type { CommandAction } from './command';
import { chainDot, chainMermaid, chainText, type PictureFormat, type ServiceChain } from './chain-picture';
import { colours } from './colour';
import { readFleet } from './fleet';
import { cliDocument, printJson } from './json-output';
import { cliRuntime, selectKeys } from './command-deps';
import type { CommonOptions } from './options';
import { driftSection, planSteps } from './render';
import { driftExitCode } from './verdict';

export interface DiffOptions extends CommonOptions {
  format?: PictureFormat;
}

export const diff: CommandAction = async (input, io) => {
  const values = input.opts as DiffOptions;
  const runtime = await cliRuntime(io, { ...values, dryRun: true });
  const keys = selectKeys(runtime, values.service);
  const outcomes = await readFleet(io, runtime, keys);
  if (values.json) printJson(io, cliDocument('diff', outcomes));
  else if (values.format === 'mermaid' || values.format === 'dot') io.stdout(picture(outcomes, values.format));
  else {
    const c = colours(io);
    for (const outcome of outcomes) {
      io.stdout(driftSection(outcome, c));
      // The chain is drawn when a person asked about particular services; the fleet gets tables.
      if (values.service?.length) io.stdout(chainText(serviceChain(outcome), c));
      io.stdout(planSteps(outcome.plan, c));
    }
  }
  return driftExitCode(outcomes);
};

export function serviceChain(outcome: Outcome): ServiceChain {
  return { serviceKey: outcome.serviceKey, chain: chainOf(outcome) };
}

export function picture(outcomes: Outcome[], format: 'mermaid' | 'dot'): string {
  const chains = outcomes.map(serviceChain);
  return format === 'mermaid' ? chainMermaid(chains) : chainDot(chains);
}
