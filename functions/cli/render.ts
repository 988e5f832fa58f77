// Terminal rendering of outcomes: one table per service, aligned columns, no colour needed.
import { describeDrift } from '../notify/describe';
import type { Outcome, Plan } from '../reconcile/model';
import { formatDrift, formatLevels } from '../reconcile/plan';

/** Compute references as `projects/...` paths: the full URLs would make the table too wide. */
export function shortenUrls(text: string): string {
  return text.replace(/https:\/\/[^\s",]*?\/(?=projects\/)/g, '');
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

export function outcomeHeadline(outcome: Outcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  const writes = plural(outcome.writes, 'write');
  const reason = outcome.reason ? `: ${outcome.reason}` : '';
  return `${outcome.serviceKey}: ${outcome.status}${reason} (${writes}, ${seconds} s)`;
}

/** The service's drift as a table, or a line saying there is none (or that it could not be read). */
export function driftSection(outcome: Outcome): string {
  const drift = outcome.plan.drift;
  // A failed read found nothing; that is not "no drift".
  if (outcome.readError && drift.length === 0) return `${outcome.serviceKey}: error: ${outcome.reason ?? outcome.readError.message}\n`;
  if (drift.length === 0) return `${outcome.serviceKey}: no drift\n`;
  // The wording Slack and the report use, so a person sees the same facts everywhere.
  const rows = drift.map(describeDrift).map((d) => [d.what, shortenUrls(d.wanted), shortenUrls(d.found)]);
  return `${outcome.serviceKey}\n${table(['drift', 'wanted', 'found'], rows)}`;
}

/** Below a drift table: the steps that would repair it, and what the plan leaves alone and why. */
export function planSteps(plan: Plan): string {
  const lines = formatLevels(plan);
  if (lines.length > 0) lines.unshift('steps (one level at a time, the steps of a level in parallel):');
  for (const { drift, reason } of plan.unrepaired) lines.push(`not repaired: ${formatDrift(drift)}: ${reason}`);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
