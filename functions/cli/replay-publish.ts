// `replay --publish`: hands the routed entries to the deployed function instead of reconciling
// here, by publishing them to its trigger topic exactly as a Log Router sink does (the LogEntry
// JSON as data, its timestamp as the `logging.googleapis.com/timestamp` attribute).
import type { Environment } from '../config/environment';
import { endpointName, pubsubClientOptions, withDeadline } from '../deadline';
import type { LogEntry } from '../events/log-entry';

/** The whole publish (every entry, then closing the client) ends within this. */
export const PUBLISH_ALL_DEADLINE_MS = 30_000;

/** `to` is the --publish topic, parsed (pubsub-topic.ts). */
export async function publishEntries(
  to: { project: string; topic: string },
  entries: LogEntry[],
  environment: Pick<Environment, 'pubsubEmulator'>,
  deadlineMs = PUBLISH_ALL_DEADLINE_MS,
): Promise<number> {
  const { PubSub } = await import('@google-cloud/pubsub');
  const pubsub = new PubSub(pubsubClientOptions(to.project, environment.pubsubEmulator));
  const topic = pubsub.topic(to.topic, { gaxOpts: { timeout: deadlineMs } });
  const where = `projects/${to.project}/topics/${to.topic} at ${endpointName(environment.pubsubEmulator, 'pubsub.googleapis.com')}`;
  try {
    const published = Promise.all(
      entries.map((entry) =>
        topic.publishMessage({
          data: Buffer.from(JSON.stringify(entry)),
          attributes: entry.timestamp ? { 'logging.googleapis.com/timestamp': entry.timestamp } : {},
        }),
      ),
    );
    await withDeadline(published, deadlineMs, `publishing ${entries.length} entries to ${where}`);
  } finally {
    await withDeadline(pubsub.close(), 2_000, `closing the Pub/Sub client for ${where}`).catch(() => undefined);
  }
  return entries.length;
}
