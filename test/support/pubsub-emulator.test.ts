import { PubSub } from '@google-cloud/pubsub';
import { SHARED_STATE_ENV, startPubSubEmulator, type PubSubEmulator } from './pubsub-emulator';
import { pubSubTest } from './pubsub-test';
import { testOrSkip } from './test-or-skip';

let emulator: PubSubEmulator | null = null;
beforeAll(async () => {
  emulator = await startPubSubEmulator();
}, 90_000);
afterAll(async () => emulator?.stop());

pubSubTest()(
  'the real Pub/Sub emulator carries a message from publish to pull',
  async () => {
    const pubsub = new PubSub({ projectId: 'demo-project', apiEndpoint: emulator!.host, emulatorMode: true });
    const [topic] = await pubsub.createTopic('probe-topic');
    const [subscription] = await topic.createSubscription('probe-sub');
    await topic.publishMessage({ data: Buffer.from('hello'), attributes: { a: '1' } });
    const received = await new Promise<string>((resolve) => {
      subscription.once('message', (message) => {
        message.ack();
        resolve(`${message.data.toString()}:${message.attributes.a}`);
      });
    });
    expect(received).toBe('hello:1');
    await subscription.close();
    await pubsub.close();
  },
  90_000,
);

// Under jest (jest-global-setup.ts) the run's suites share one emulator: asking again, as another suite would, finds the same one.
(process.env[SHARED_STATE_ENV] ? pubSubTest() : testOrSkip(false, 'not under jest global setup'))(
  'a second start in the same jest run is the same emulator',
  async () => {
    const again = await startPubSubEmulator();
    expect(again?.host).toBe(emulator!.host);
    await again?.stop(); // the shared one stays up for the other suites
    expect((await fetch(`http://${emulator!.host}/`)).ok).toBe(true);
  },
);
