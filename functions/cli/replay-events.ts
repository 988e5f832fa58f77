// The reading half of `replay`: every record through the same intake the function uses, then the
// replay's own filters (time range, --service). What comes out is each affected service once, with
// the latest event that named it, and what was left out and why.
import type { AuditEvent } from '../events/audit-event';
import { toLogEntry } from '../events/envelope';
import { intake, type IntakeContext } from '../events/intake';
import type { LogEntry } from '../events/log-entry';
import { MalformedEventError } from '../events/malformed-event-error';
import type { ReplayRecord } from './replay-records';

export interface ReplayFilter {
  /** epoch ms, inclusive */
  since?: number;
  /** epoch ms, exclusive */
  until?: number;
  /** keys chosen with --service; absent = all */
  services?: ReadonlySet<string>;
  /** keep the routed entries (for --publish) */
  keepEntries?: boolean;
}

export interface ReplayEvents {
  malformed: { index: number; error: string }[];
  /** skip reason (intake's, or `not-selected` for --service) → count */
  skipped: Record<string, number>;
  outOfRange: number;
  /** affected service key → the latest event naming it (who changed it, for Slack and reports) */
  triggers: Map<string, AuditEvent>;
  /** the routed entries, when filter.keepEntries */
  entries: LogEntry[];
}

export function collectEvents(
  records: ReplayRecord[],
  context: IntakeContext,
  filter: ReplayFilter,
  onRecord: (done: number) => void = () => undefined,
): ReplayEvents {
  const out: ReplayEvents = { malformed: [], skipped: {}, outOfRange: 0, triggers: new Map(), entries: [] };
  const skip = (reason: string) => (out.skipped[reason] = (out.skipped[reason] ?? 0) + 1);
  const ranged = filter.since !== undefined || filter.until !== undefined;
  const inRange = (at: number) => (filter.since === undefined || at >= filter.since) && (filter.until === undefined || at < filter.until);
  for (const record of records) {
    onRecord(record.index + 1);
    if ('error' in record) {
      out.malformed.push({ index: record.index, error: record.error });
      continue;
    }
    // The time range comes first: an entry outside it is "outside the time range", whatever
    // intake would have said about it (and leaves no trace in the duplicate-operation memory).
    if (ranged) {
      const at = timestampOf(record.value);
      if (at !== 'malformed' && !inRange(at)) {
        out.outOfRange++;
        continue;
      }
    }
    const result = intake(record.value, context);
    if (result.kind === 'skip') {
      if (result.reason === 'malformed') out.malformed.push({ index: record.index, error: result.detail });
      else skip(result.reason);
      continue;
    }
    const at = result.event.timestamp ? Date.parse(result.event.timestamp) : NaN;
    const keys = filter.services ? result.keys.filter((key) => filter.services?.has(key)) : result.keys;
    if (keys.length === 0) {
      skip('not-selected');
      continue;
    }
    for (const key of keys) {
      const seen = out.triggers.get(key)?.timestamp;
      if (seen === undefined || !(Date.parse(seen) > at)) out.triggers.set(key, result.event);
    }
    if (filter.keepEntries) out.entries.push(toLogEntry(record.value));
  }
  return out;
}

/** The entry's timestamp in epoch ms (NaN without one: outside any range); 'malformed' when it does not decode (intake says why). */
function timestampOf(value: unknown): number | 'malformed' {
  try {
    const { timestamp } = toLogEntry(value);
    return timestamp ? Date.parse(timestamp) : NaN;
  } catch (err) {
    if (err instanceof MalformedEventError) return 'malformed';
    throw err;
  }
}
