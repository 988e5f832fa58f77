// The one Pub/Sub client module: it talks to the endpoint the typed environment names (not whatever
// process.env holds when the library looks), publishes what the sweep fan-out hands it and pulls it
// back with its subscriber, and a publish to an endpoint that never answers ends within its deadline
// with an error naming the topic, the endpoint and its variable.
import { parseEnvironment } from './config/environment';
import { DeadlineExceeded, EndpointUnreachable } from './deadline';
import { Redactor } from './log';
import { createSubscriber, topicPublisher } from './pubsub-client';
import { jsonTopic } from './sweep-fanout';
import { freePort } from '../test/support/free-port';
import { startPubSubEmulator, type PubSubEmulator } from '../test/support/pubsub-emulator';
import { pubSubTest } from '../test/support/pubsub-test';
import { startSilentServer } from '../test/support/silent-server';

const SECRET = 'https://hooks.slack.com/services/T000/B000/not-a-real-secret';

describe('through the real Pub/Sub emulator, named only in the typed environment', () => {
  let emulator: PubSubEmulator | null = null;
  const previousHost = process.env.PUBSUB_EMULATOR_HOST;

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    // The library would fall back to this variable on its own: the module must not need it.
    delete process.env.PUBSUB_EMULATOR_HOST;
  }, 90_000);
  afterAll(async () => {
    await emulator?.stop();
    if (previousHost !== undefined) process.env.PUBSUB_EMULATOR_HOST = previousHost;
  });

  pubSubTest()(
    "the sweep fan-out's topic publishes a redacted JSON body with its attributes; the subscriber pulls it back",
    async () => {
      const { environment } = parseEnvironment({ PUBSUB_EMULATOR_HOST: emulator!.host });
      const project = 'fanout-project';
      const subscriber = await createSubscriber(project, environment.pubsubEmulator);
      const { PubSub } = await import('@google-cloud/pubsub');
      const admin = new PubSub({ projectId: project, apiEndpoint: emulator!.host, emulatorMode: true });
      try {
        const [topic] = await admin.createTopic('sweep-shards');
        await topic.createSubscription('sweep-shards-all');

        const shards = jsonTopic(`projects/${project}/topics/sweep-shards`, 'SWEEP_TOPIC', {
          environment,
          redactor: new Redactor().add(SECRET),
        });
        const id = await shards.publish({ shard: 'demo-project/asia-northeast1', note: `posted to ${SECRET}` }, { kind: 'sweep-shard' });
        await shards.close();
        expect(id).toMatch(/^\d+$/);

        const subscription = `projects/${project}/subscriptions/sweep-shards-all`;
        const [response] = await subscriber.pull({ subscription, maxMessages: 10 }, { timeout: 20_000 });
        const received = response.receivedMessages ?? [];
        expect(received).toHaveLength(1);
        const message = received[0]!.message!;
        expect(JSON.parse(Buffer.from(message.data as Uint8Array).toString('utf8'))).toEqual({
          shard: 'demo-project/asia-northeast1',
          note: 'posted to [redacted]',
        });
        expect(message.attributes).toEqual({ kind: 'sweep-shard' });
        await subscriber.acknowledge({ subscription, ackIds: [received[0]!.ackId!] });
      } finally {
        await subscriber.close();
        await admin.close();
      }
    },
    60_000,
  );
});

test('a publish to an endpoint that never answers ends within its deadline, naming the topic, endpoint and variable', async () => {
  // Accepts connections and says nothing (a hung endpoint, a firewall that drops).
  const silent = await startSilentServer();
  const port = silent.port;
  const { environment } = parseEnvironment({ PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}` });
  const publisher = topicPublisher({ project: 'p', topic: 't' }, environment.pubsubEmulator, 500);
  try {
    const started = Date.now();
    const failure = await publisher.publish(Buffer.from('{}'), {}).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DeadlineExceeded);
    expect((failure as Error).message).toBe(
      `publishing to projects/p/topics/t at 127.0.0.1:${port} (PUBSUB_EMULATOR_HOST): no answer within 0.5 s`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await publisher.close().catch(() => undefined);
    silent.close();
  }
}, 15_000);

test('a publish to an endpoint that refuses the connection fails at once with the cause, not at the deadline', async () => {
  const port = await freePort(); // nobody listens there
  const { environment } = parseEnvironment({ PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}` });
  const publisher = topicPublisher({ project: 'p', topic: 't' }, environment.pubsubEmulator, 60_000);
  const failure = await publisher.publish(Buffer.from('{}'), {}).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(EndpointUnreachable);
  expect((failure as Error).message).toBe(
    `publishing to projects/p/topics/t at 127.0.0.1:${port} (PUBSUB_EMULATOR_HOST): ECONNREFUSED 127.0.0.1:${port}`,
  );
  await publisher.close().catch(() => undefined);
}, 15_000);
