// `replay --publish`: hands the routed entries to the deployed function instead of reconciling
// here, by publishing them to its trigger topic exactly as a Log Router sink does (the LogEntry
// JSON as data, its timestamp as the `logging.googleapis.com/timestamp` attribute).
import type { LogEntry } from '../events/log-entry';

/** `to` is the --publish topic, parsed (pubsub-topic.ts). */
export async function publishEntries(to: { project: string; topic: string }, entries: LogEntry[], env: NodeJS.ProcessEnv): Promise<number> {
  const { PubSub } = require('@google-cloud/pubsub') as typeof import('@google-cloud/pubsub');
  // The library reads PUBSUB_EMULATOR_HOST from process.env; the CLI's environment is io.env.
  const emulator = env.PUBSUB_EMULATOR_HOST;
  const pubsub = new PubSub({ projectId: to.project, ...(emulator ? { apiEndpoint: emulator, emulatorMode: true } : {}) });
  const topic = pubsub.topic(to.topic);
  try {
    await Promise.all(
      entries.map((entry) =>
        topic.publishMessage({
          data: Buffer.from(JSON.stringify(entry)),
          attributes: entry.timestamp ? { 'logging.googleapis.com/timestamp': entry.timestamp } : {},
        }),
      ),
    );
  } finally {
    await pubsub.close();
  }
  return entries.length;
}
