// `mesh-remediator status`: the fleet on one screen. One row per declared service: its ingress,
// the state of each link of its chain, the pause, and what a reconcile would do now; then a
// summary line. Reads only (a dry-run reconcile per service); exit 0 all in sync, 2 drift, 1 error.
import { LINK_SYMBOL, LINK_TITLE } from '../notify/describe';
import { CHAIN_ORDER, chainOf } from '../reconcile/chain';
import type { Outcome } from '../reconcile/model';
import type { CommandAction } from './command';
import { chainText, stateColour } from './chain-picture';
import { colours, type Colours } from './colour';
import { picture, serviceChain, type DiffOptions } from './diff';
import { readFleet } from './fleet';
import { cliDocument, printJson } from './json-output';
import { cliRuntime, selectKeys } from './command-deps';
import { table } from './render';
import { driftExitCode, summarise, verdictOf, VERDICT_TEXT, type FleetSummary, type Verdict } from './verdict';

export const status: CommandAction = async (input, io) => {
  const values = input.opts as DiffOptions;
  const runtime = await cliRuntime(io, { ...values, dryRun: true });
  const keys = selectKeys(runtime, values.service);
  const outcomes = await readFleet(io, runtime, keys);
  const summary = summarise(outcomes);
  if (values.json) printJson(io, cliDocument('status', outcomes, { summary }));
  else if (values.format === 'mermaid' || values.format === 'dot') io.stdout(picture(outcomes, values.format));
  else {
    const c = colours(io);
    const declared = new Map(runtime.mesh.services.map((svc) => [svc.key, svc.ingress]));
    io.stdout(fleetTable(outcomes, c, (key) => declared.get(key) ?? '?') + '\n' + summaryLine(summary, c) + '\n');
    if (values.service?.length) for (const outcome of outcomes) io.stdout('\n' + chainText(serviceChain(outcome), c));
  }
  return driftExitCode(outcomes);
};

const VERDICT_COLOUR: Record<Verdict, keyof Pick<Colours, 'green' | 'yellow' | 'red' | 'cyan'>> = {
  'in-sync': 'green',
  'would-repair': 'yellow',
  'drift-left': 'yellow',
  'service-missing': 'red',
  paused: 'cyan',
  error: 'red',
};

export function fleetTable(outcomes: Outcome[], c: Colours, declaredIngress: (key: string) => string): string {
  const rows = outcomes.map((outcome) => {
    const chain = chainOf(outcome);
    const verdict = verdictOf(outcome);
    return [
      outcome.serviceKey,
      ingressOf(outcome, declaredIngress(outcome.serviceKey)),
      chain.map((link) => stateColour(c, link.state)(LINK_SYMBOL[link.state])).join(' '),
      outcome.pausedUntil ?? '-',
      c[VERDICT_COLOUR[verdict]](VERDICT_TEXT[verdict]),
    ];
  });
  const legend = `chain: ${CHAIN_ORDER.map((kind) => LINK_TITLE[kind]).join(' → ')}; ${Object.entries(LINK_SYMBOL)
    .map(([state, symbol]) => `${symbol} ${state}`)
    .join(', ')}`;
  return table(['service', 'ingress', 'chain', 'paused until', 'verdict'], rows) + legend + '\n';
}

/** The ingress the read found: the declared one unless it drifted; '-' when there is no service or no read. */
function ingressOf(outcome: Outcome, declared: string): string {
  if (outcome.readError && outcome.plan.drift.length === 0) return '?';
  const drift = outcome.plan.drift.find((d) => d.type === 'ingress' || d.type === 'service-missing');
  if (!drift) return declared;
  return drift.type === 'ingress' ? drift.found : '-';
}

export function summaryLine(s: FleetSummary, c: Colours): string {
  const parts = [
    c.green(`${s.inSync} in sync`),
    (s.drifted ? c.yellow : String)(`${s.drifted} drifted`),
    (s.paused ? c.cyan : String)(`${s.paused} paused`),
    (s.missing ? c.red : String)(`${s.missing} missing`),
  ];
  if (s.errors) parts.push(c.red(`${s.errors} unreadable`));
  return `${s.services} ${s.services === 1 ? 'service' : 'services'}: ${parts.join(', ')}`;
}
