// `replay --subscription`: the dead letters are pulled from a real subscription on Google's Pub/Sub
// emulator, each affected service is reconciled once, and a message is acknowledged only after its
// service's reconcile finished; --dry-run acknowledges nothing. Skipped (visibly) where the
// emulator is absent.
import type { LogEntry } from '../emulator';
import { declaredService } from '../emulator/test-mesh';
import { pubSubTest } from '../support/pubsub-test';
import { cliPubSubRig } from './pubsub-rig';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, runCli, writeMesh, cliSchemaErrors } from './cli-harness';

const withPubSub = pubSubTest();

const server = declaredService();
const SUBSCRIPTION = 'projects/demo-project/subscriptions/mesh-dead-letter';

const rig = cliPubSubRig(server);
// These replays are about what is pulled and acknowledged, not how long a pull waits for nothing: at
// most 1 s, not the default 5 (every dead letter is on the subscription before a replay starts).
const DRAIN = ['--drain-wait', '1'];

withPubSub(
  'dry run acknowledges nothing; a real replay repairs, then acknowledges every message; nothing is left',
  async () => {
    const [topic] = await rig.pubsub().createTopic('mesh-dead-letter');
    await topic.createSubscription('mesh-dead-letter');
    const alice = new DriftActor(rig.emulator.url);
    await alice.openIngress(server);
    await alice.deleteResource(server, 'forwardingRule');
    // What the push subscription dead-lettered: the sink's messages (data = the LogEntry as JSON).
    const entries: LogEntry[] = structuredClone(rig.emulator.audit.entries);
    for (const entry of entries) await topic.publishMessage({ data: Buffer.from(JSON.stringify(entry)) });
    await topic.publishMessage({ data: Buffer.from('not json at all') }); // a poisoned one: acknowledged as malformed
    const env = emulatorEnv(rig.emulator, { PUBSUB_EMULATOR_HOST: rig.pubsubHost() });
    const mesh = writeMesh([server]);
    const pulled = entries.length + 1;

    const dry = await runCli(['replay', '--dry-run', '--json', '--config', mesh, '--subscription', SUBSCRIPTION, ...DRAIN], { env });
    expect(dry.code).toBe(2); // drift left: a dry run repairs nothing
    const dryDoc: unknown = JSON.parse(dry.stdout);
    expect(cliSchemaErrors(dryDoc)).toEqual([]);
    expect(dryDoc).toMatchObject({ command: 'replay', pulled, acknowledged: 0, left: pulled, services: [server.key] });
    expect((await runCli(['diff', '--config', mesh], { env })).code).toBe(2);

    const writes = rig.emulator.writes();
    const real = await runCli(['replay', '--config', mesh, '--subscription', SUBSCRIPTION, ...DRAIN], { env });
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`replay: ${pulled} messages pulled from ${SUBSCRIPTION}`);
    expect(real.stdout).toContain(`1 service reconciled; ${pulled} acknowledged, 0 left on the subscription`);
    expect(rig.emulator.writes() - writes).toBeGreaterThanOrEqual(2); // ingress and the forwarding rule
    expect((await runCli(['diff', '--config', mesh], { env })).code).toBe(0);

    const again = await runCli(['replay', '--json', '--config', mesh, '--subscription', SUBSCRIPTION, ...DRAIN], { env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ pulled: 0, acknowledged: 0, left: 0, services: [] });
  },
  120_000,
);

test('--subscription takes no FILE, and replay without either says what it needs', async () => {
  const env = emulatorEnv(rig.emulator);
  const both = await runCli(['replay', '--config', writeMesh([server]), '--subscription', SUBSCRIPTION, 'audit.json'], { env });
  expect(both.code).toBe(1);
  expect(both.stderr).toContain('give one or the other');
  const neither = await runCli(['replay', '--config', writeMesh([server])], { env });
  expect(neither.code).toBe(1);
  expect(neither.stderr).toContain('--subscription projects/P/subscriptions/S');
  const bad = await runCli(['replay', '--config', writeMesh([server]), '--subscription', 'mesh-dead-letter'], { env });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--subscription must be projects/PROJECT/subscriptions/SUBSCRIPTION');
  for (const value of ['0', 'soon', '-1']) {
    const wait = await runCli(['replay', '--config', writeMesh([server]), '--subscription', SUBSCRIPTION, '--drain-wait', value], { env });
    expect({ value, code: wait.code, stdout: wait.stdout }).toEqual({ value, code: 1, stdout: '' });
    expect(wait.stderr).toContain(`--drain-wait must be a number of seconds above 0 and at most 600, got ${JSON.stringify(value)}`);
  }
  const alone = await runCli(['replay', '--config', writeMesh([server]), '--drain-wait', '1', 'audit.json'], { env });
  expect(alone.code).toBe(1);
  expect(alone.stderr).toContain('--drain-wait goes only with --subscription');
});
