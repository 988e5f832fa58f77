// Terminal rendering of outcomes: headlines, drift tables, the steps planned or run. The words are
// notify/describe.ts's (the same as Slack's); this file only lays them out and colours them.
import { describeDrift, describeLevels, describeStep, plural, stepSymbol } from '../notify/describe';
import type { Outcome, OutcomeStatus, Plan, StepStatus } from '../reconcile/model';
import type { Colours } from './colour';

export { plural };

/** Columns padded by their visible width (colour codes take none). */
export function table(header: string[], rows: string[][]): string {
  const width = (text: string) => visible(text).length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** Text without ANSI colour codes. */
export function visible(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

export function statusColour(c: Colours, status: OutcomeStatus): (text: string) => string {
  const by: Record<OutcomeStatus, (text: string) => string> = {
    'in-sync': c.green,
    repaired: c.green,
    'drift-detected': c.yellow,
    paused: c.cyan,
    failed: c.red,
    'breaker-open': c.magenta,
  };
  return by[status];
}

/** `KEY: STATUS[: reason] (N writes[, M attempts], S s)` */
export function outcomeHeadline(outcome: Outcome, c: Colours): string {
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  const attempts = outcome.writeAttempts !== outcome.writes ? `, ${plural(outcome.writeAttempts, 'write attempt')}` : '';
  const reason = outcome.reason ? `: ${outcome.reason}` : '';
  return `${c.bold(outcome.serviceKey)}: ${statusColour(c, outcome.status)(outcome.status)}${reason} (${plural(outcome.writes, 'write')}${attempts}, ${seconds} s)`;
}

/** The service's drift as a table, or a line saying there is none (or that it could not be read). */
export function driftSection(outcome: Outcome, c: Colours): string {
  const drift = outcome.plan.drift;
  // A failed read found nothing; that is not "no drift".
  if (outcome.readError && drift.length === 0)
    return `${c.bold(outcome.serviceKey)}: ${c.red('error')}: ${outcome.reason ?? outcome.readError.message}\n`;
  if (drift.length === 0) return `${c.bold(outcome.serviceKey)}: ${c.green('no drift')}\n`;
  const rows = drift.map((one) => describeDrift(one, outcome.plan.project)).map((d) => [d.what, c.green(d.wanted), c.red(d.found)]);
  const paused =
    outcome.status === 'paused' ? `${c.cyan(`paused until ${outcome.pausedUntil}`)}: a reconcile writes nothing until then\n` : '';
  return `${c.bold(outcome.serviceKey)}\n${paused}${table(['drift', 'wanted', 'found'], rows)}`;
}

/** Below a drift table: the steps that would repair it, and what the plan leaves alone and why. */
export function planSteps(plan: Plan, c: Colours): string {
  const lines = describeLevels(plan).map((line) =>
    line.replace(/^(\s+\d*\.?\s+)([+~-])/, (_m, lead: string, mark: string) => lead + markColour(c, mark)(mark)),
  );
  if (lines.length > 0) lines.unshift('steps a reconcile would take (one level at a time, the steps of a level in parallel):');
  // One line per reason: a missing service leaves all seven links for one reason, said once.
  const byReason = new Map<string, string[]>();
  for (const { drift, reason } of plan.unrepaired)
    byReason.set(reason, [...(byReason.get(reason) ?? []), describeDrift(drift, plan.project).what]);
  for (const [reason, whats] of byReason) lines.push(`${c.yellow('not repaired')}: ${whats.join(', ')}: ${reason}`);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

const RESULT_MARK: Record<StepStatus, string> = { done: '✓', 'already-exists': '✓', failed: '✗', 'not-run': '-' };

/** What apply did, one line per step with its status, duration and attempts. */
export function stepsRun(outcome: Outcome, c: Colours): string {
  if (outcome.steps.length === 0) return '';
  const rows = outcome.steps.map((r) => {
    const colour = r.status === 'failed' ? c.red : r.status === 'not-run' ? c.dim : c.green;
    const attempts = r.attempts > 1 ? ` (${plural(r.attempts, 'attempt')})` : '';
    const error = r.error && r.status === 'failed' ? `: ${r.error.message}` : '';
    return `  ${colour(RESULT_MARK[r.status])} ${stepSymbol(r.step)} ${describeStep(r.step)}  ${colour(r.status)} ${(r.durationMs / 1000).toFixed(2)} s${attempts}${error}`;
  });
  return ['steps run:', ...rows].join('\n') + '\n';
}

function markColour(c: Colours, mark: string): (text: string) => string {
  return mark === '+' ? c.green : mark === '-' ? c.red : c.yellow;
}
