// Terminal rendering of outcomes: one table per service, aligned columns, no colour needed.
import { partialPath } from '../gcp/refs';
import type { Drift, Outcome } from '../reconcile/model';

export interface DriftRow {
  subject: string;
  wanted: string;
  found: string;
}

/** One drift as "what, wanted, found", the form people read in tables and Slack alike. */
export function describeDrift(drift: Drift): DriftRow {
  switch (drift.type) {
    case 'service-missing':
      return { subject: `Cloud Run service ${drift.service}`, wanted: 'present', found: 'missing' };
    case 'ingress':
      return { subject: 'ingress', wanted: drift.wanted, found: drift.found };
    case 'missing':
      return { subject: `${drift.kind} ${drift.name}`, wanted: 'present', found: 'missing' };
    case 'mutable':
    case 'immutable':
      return {
        subject: `${drift.kind} ${drift.name} ${drift.field}${drift.type === 'immutable' ? ' (immutable)' : ''}`,
        wanted: showValue(drift.wanted),
        found: showValue(drift.found),
      };
  }
}

export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value.includes('projects/') ? partialPath(value) : value;
  if (Array.isArray(value)) return value.map(showValue).join(', ') || '(none)';
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.includes('projects/') ? partialPath(v) : v));
  return String(value);
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export function outcomeHeadline(outcome: Outcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  const writes = outcome.writes === 1 ? '1 write' : `${outcome.writes} writes`;
  const reason = outcome.reason ? `: ${outcome.reason}` : '';
  return `${outcome.serviceKey}: ${outcome.status}${reason} (${writes}, ${seconds} s)`;
}

/** The service's drift as a table, or a line saying there is none (or that it could not be read). */
export function driftSection(outcome: Outcome): string {
  const drift = outcome.plan.drift;
  // A failed read found nothing; that is not "no drift".
  if (outcome.readError && drift.length === 0) return `${outcome.serviceKey}: error: ${outcome.reason ?? outcome.readError.message}\n`;
  if (drift.length === 0) return `${outcome.serviceKey}: no drift\n`;
  const rows = drift.map(describeDrift).map((d) => [d.subject, d.wanted, d.found]);
  return `${outcome.serviceKey}\n${table(['drift', 'wanted', 'found'], rows)}`;
}
