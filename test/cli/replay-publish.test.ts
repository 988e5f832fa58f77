// `replay --publish`: the routed entries go to the trigger topic on Google's real Pub/Sub emulator,
// as a Log Router sink would publish them, for the deployed function to handle; nothing is
// reconciled locally. Read back through a subscription. Skipped (visibly) where the emulator is absent.
import type { Message } from '@google-cloud/pubsub';
import type { LogEntry } from '../emulator';
import { declaredService } from '../emulator/test-mesh';
import { freePort } from '../support/free-port';
import { pubSubTest } from '../support/pubsub-test';
import { cliPubSubRig } from './pubsub-rig';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, runCli, writeMesh, writeText } from './cli-harness';
import { replayFile } from './replay-inputs';

const withPubSub = pubSubTest();

const server = declaredService();
const TOPIC = 'projects/demo-project/topics/mesh-audit';

const rig = cliPubSubRig(server);

/** Receives `count` messages from the subscription (or what came within the time limit). */
function receive(subscriptionName: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
  const subscription = rig.pubsub().subscription(subscriptionName);
  const messages: Message[] = [];
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      subscription.removeAllListeners('message');
      void subscription.close().then(() => resolve(messages));
    };
    const timer = setTimeout(done, timeoutMs);
    subscription.on('message', (message: Message) => {
      message.ack();
      messages.push(message);
      if (messages.length === count) setTimeout(done, 500); // and see that no extra one follows
    });
  });
}

withPubSub(
  'republishes each routed entry once, as the sink would, and reconciles nothing here',
  async () => {
    const [topic] = await rig.pubsub().createTopic('mesh-audit');
    await topic.createSubscription('replay-check');
    const alice = new DriftActor(rig.emulator.url);
    await alice.createDecoys(server); // three not-declared pairs
    await alice.openIngress(server); // routed: Cloud Run first and last
    await alice.deleteResource(server, 'forwardingRule'); // routed: Compute last only
    const entries: LogEntry[] = structuredClone(rig.emulator.audit.entries);
    const file = writeText('publish.json', replayFile(entries, 'gcloud-array'));
    const env = emulatorEnv(rig.emulator, { PUBSUB_EMULATOR_HOST: rig.pubsubHost() });
    const before = rig.emulator.rates();
    const writes = rig.emulator.writes();

    const { code, stdout, stderr } = await runCli(['replay', '--config', writeMesh([server]), '--publish', TOPIC, file], { env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('1 service affected, 3 entries republished');
    const after = rig.emulator.rates();
    expect([after.run.total - before.run.total, after.compute.total - before.compute.total, rig.emulator.writes() - writes]).toEqual([
      0, 0, 0,
    ]);

    const messages = await receive('replay-check', 3);
    // Routed: everything on server-service's chain but Compute's first entry (the function acts on the last).
    const routed = entries.filter(
      (e) =>
        !String(e.protoPayload.resourceName).includes('/decoy-') &&
        !(e.operation?.producer === 'compute.googleapis.com' && e.operation.first),
    );
    expect(routed).toHaveLength(3);
    const received = messages.map((m) => JSON.parse(m.data.toString('utf8')) as LogEntry);
    expect(received.map((e) => e.insertId).sort()).toEqual(routed.map((e) => e.insertId).sort());
    for (const [i, message] of messages.entries()) {
      const entry = received[i] as LogEntry;
      expect(entry).toEqual(entries.find((e) => e.insertId === entry.insertId));
      expect(message.attributes['logging.googleapis.com/timestamp']).toBe(entry.timestamp);
    }
  },
  90_000,
);

withPubSub(
  '--json says how many were republished',
  async () => {
    const [topic] = await rig.pubsub().createTopic('mesh-audit-json');
    await topic.createSubscription('replay-json');
    const entries = structuredClone(rig.emulator.audit.entries).filter((e) =>
      e.protoPayload.resourceName?.toString().includes('/services/'),
    );
    const env = emulatorEnv(rig.emulator, { PUBSUB_EMULATOR_HOST: rig.pubsubHost() });
    const file = writeText('publish.jsonl', replayFile(entries, 'pubsub-message'));
    const { code, stdout } = await runCli(
      ['replay', '--json', '--config', writeMesh([server]), '--publish', 'projects/demo-project/topics/mesh-audit-json', file],
      { env },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ command: 'replay', published: entries.length, services: [server.key], reports: [] });
    expect(await receive('replay-json', entries.length)).toHaveLength(entries.length);
  },
  90_000,
);

test('--publish with --dry-run is refused: the deployed function decides', async () => {
  const { code, stderr } = await runCli(['replay', '--dry-run', '--publish', TOPIC, '-'], { env: emulatorEnv(rig.emulator), stdin: '' });
  expect(code).toBe(1);
  expect(stderr).toContain('--dry-run and --publish do not mix');
});

test('--publish to a Pub/Sub that refuses the connection: one line naming the endpoint, its variable and the cause, at once', async () => {
  const port = await freePort(); // nothing listens there
  await new DriftActor(rig.emulator.url).openIngress(server);
  const entries = rig.emulator.audit.entries.slice(-1);
  const file = writeText('audit.jsonl', replayFile(entries, 'json-lines'));
  const env = emulatorEnv(rig.emulator, { PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}` });
  const { code, stdout, stderr } = await runCli(['replay', '--config', writeMesh([server]), '--publish', TOPIC, file], { env });
  expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
  expect(stderr).toBe(
    `mesh-remediator replay: publishing to ${TOPIC} at 127.0.0.1:${port} (PUBSUB_EMULATOR_HOST): ECONNREFUSED 127.0.0.1:${port}\n`,
  );
}, 60_000);
