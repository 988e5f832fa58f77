// The files an operator hands to `replay`, built from real LogEntries: what `gcloud logging read
// --format=json` prints, JSON lines, Pub/Sub messages (as published, and as `gcloud pubsub
// subscriptions pull --format=json` prints them), raw push bodies and both Eventarc CloudEvents.
import { asAuditLogWritten, asMessage, asMessagePublished, asPushBody } from '../fixtures/events';

export type ReplayFormat =
  'gcloud-array' | 'json-lines' | 'pubsub-message' | 'pubsub-pull' | 'push-body' | 'cloudevent-published' | 'cloudevent-audit-log';

export const REPLAY_FORMATS: readonly ReplayFormat[] = [
  'gcloud-array',
  'json-lines',
  'pubsub-message',
  'pubsub-pull',
  'push-body',
  'cloudevent-published',
  'cloudevent-audit-log',
];

/** One record of the given format wrapping `entry`. */
export function wrap(entry: unknown, format: ReplayFormat, n: number): unknown {
  const id = String(9_000_000_000_000 + n);
  switch (format) {
    case 'gcloud-array':
    case 'json-lines':
      return entry;
    case 'pubsub-message':
      return asMessage(entry, id);
    case 'pubsub-pull':
      return { ackId: `ack-${id}`, message: asMessage(entry, id) };
    case 'push-body':
      return asPushBody(entry);
    case 'cloudevent-published':
      return { ...asMessagePublished(entry), id };
    case 'cloudevent-audit-log':
      return { ...asAuditLogWritten(entry), id };
  }
}

/** The file text: gcloud prints one pretty-printed array (newest first); the rest are JSON lines. */
export function replayFile(entries: unknown[], format: ReplayFormat): string {
  const records = entries.map((entry, n) => wrap(entry, format, n));
  if (format === 'gcloud-array') return JSON.stringify([...records].reverse(), null, 2) + '\n';
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
