// The Pub/Sub client, made here for everything that publishes or pulls: reports, the sweep fan-out
// and its shard reports, `replay --publish` and `replay --subscription`. The library is loaded on
// the first publish or pull only (an event that reports nothing never loads it), the endpoint comes
// from the typed environment (PUBSUB_EMULATOR_HOST as parsed there, not read again from
// process.env by the library), and every publish ends within a deadline whose error names the
// topic and the endpoint (deadline.ts).
import type { PubSub, Topic, v1 } from '@google-cloud/pubsub';
import type { HostPort } from './config/environment';
import { endpointName, failIfUnreachable, withDeadline } from './deadline';

export const PUBSUB_HOST = 'pubsub.googleapis.com';
/** How long closing a client may take: after a failed publish it may never finish, and nothing is left to send. */
const CLOSE_DEADLINE_MS = 2_000;

/** The emulator when the environment names one, else Google's endpoint with Application Default Credentials. */
function clientOptions(
  projectId: string,
  emulator: HostPort | undefined,
): { projectId: string; apiEndpoint?: string; emulatorMode?: boolean } {
  return emulator ? { projectId, apiEndpoint: `${emulator.host}:${emulator.port}`, emulatorMode: true } : { projectId };
}

async function createPubSub(projectId: string, emulator: HostPort | undefined): Promise<PubSub> {
  const { PubSub } = await import('@google-cloud/pubsub');
  return new PubSub(clientOptions(projectId, emulator));
}

/** Pub/Sub's host and port: the emulator's, else Google's. */
function pubsubAddress(emulator: HostPort | undefined): [host: string, port: number] {
  return emulator ? [emulator.host, emulator.port] : [PUBSUB_HOST, 443];
}

/** `projects/P/subscriptions/S at 127.0.0.1:8085 (PUBSUB_EMULATOR_HOST)`: where a wait was for, in errors. */
export function pubsubWhere(resource: string, emulator: HostPort | undefined): string {
  return `${resource} at ${endpointName(emulator, PUBSUB_HOST)}`;
}

export interface TopicPublisher {
  /** `projects/P/topics/T at <endpoint>` */
  readonly where: string;
  /** Resolves with the message id, or rejects with DeadlineExceeded naming `where`. */
  publish(data: Buffer, attributes: Record<string, string>): Promise<string>;
  /** Closes the client if one was made; bounded like a publish. */
  close(): Promise<void>;
}

/** One client for the life of the publisher, made at its first publish. */
export function topicPublisher(
  target: { project: string; topic: string },
  emulator: HostPort | undefined,
  deadlineMs: number,
): TopicPublisher {
  const where = pubsubWhere(`projects/${target.project}/topics/${target.topic}`, emulator);
  let opened: Promise<{ client: PubSub; topic: Topic; unreachable: Promise<never> }> | undefined;
  const open = () =>
    (opened ??= createPubSub(target.project, emulator).then((client) => {
      // Asked once, with the first publish: the library retries a refused connection until the
      // deadline and then says only UNAVAILABLE; this fails every publish at once, with the cause.
      const unreachable = failIfUnreachable(...pubsubAddress(emulator), `publishing to ${where}`);
      unreachable.catch(() => undefined); // publishes that settled first do not care
      // gax's own deadline for the publish call; withDeadline below also bounds its batching and retries.
      return { client, topic: client.topic(target.topic, { gaxOpts: { timeout: deadlineMs } }), unreachable };
    }));
  return {
    where,
    async publish(data, attributes) {
      const { topic, unreachable } = await open();
      return withDeadline(Promise.race([topic.publishMessage({ data, attributes }), unreachable]), deadlineMs, `publishing to ${where}`);
    },
    async close() {
      if (!opened) return;
      const { client } = await opened;
      await withDeadline(client.close(), Math.min(deadlineMs, CLOSE_DEADLINE_MS), `closing the Pub/Sub client for ${where}`);
    },
  };
}

export type SubscriberClient = InstanceType<typeof v1.SubscriberClient>;

/** The low-level subscriber (synchronous pull, acknowledge, lease changes), on the same endpoint. */
export async function createSubscriber(projectId: string, emulator: HostPort | undefined): Promise<SubscriberClient> {
  const { PubSub, v1: gapic } = await import('@google-cloud/pubsub');
  // getClientConfig resolves the endpoint (plain gRPC to an emulator) the way the PubSub class does for itself.
  const config = await new PubSub(clientOptions(projectId, emulator)).getClientConfig();
  return new gapic.SubscriberClient(config as ConstructorParameters<typeof gapic.SubscriberClient>[0]);
}
