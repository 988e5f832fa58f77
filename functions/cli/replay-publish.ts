// `replay --publish`: hands the routed entries to the deployed function instead of reconciling
// here, by publishing them to its trigger topic exactly as a Log Router sink does (the LogEntry
// JSON as data, its timestamp as the `logging.googleapis.com/timestamp` attribute).
import type { Environment } from '../config/environment';
import { withDeadline } from '../deadline';
import type { LogEntry } from '../events/log-entry';
import { topicPublisher } from '../pubsub-client';

/** The whole publish (every entry, then closing the client) ends within this. */
export const PUBLISH_ALL_DEADLINE_MS = 30_000;

/** `to` is the --publish topic, parsed (pubsub-topic.ts). */
export async function publishEntries(
  to: { project: string; topic: string },
  entries: LogEntry[],
  environment: Pick<Environment, 'pubsubEmulator'>,
  deadlineMs = PUBLISH_ALL_DEADLINE_MS,
): Promise<number> {
  const publisher = topicPublisher(to, environment.pubsubEmulator, deadlineMs);
  try {
    const published = Promise.all(
      entries.map((entry) =>
        publisher.publish(
          Buffer.from(JSON.stringify(entry)),
          entry.timestamp ? { 'logging.googleapis.com/timestamp': entry.timestamp } : {},
        ),
      ),
    );
    await withDeadline(published, deadlineMs, `publishing ${entries.length} entries to ${publisher.where}`);
  } finally {
    await publisher.close().catch(() => undefined);
  }
  return entries.length;
}
