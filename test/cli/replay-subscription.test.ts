// `replay --subscription`: the dead letters are pulled from a real subscription on Google's Pub/Sub
// emulator, each affected service is reconciled once, and a message is acknowledged only after its
// service's reconcile finished; --dry-run acknowledges nothing. Skipped (visibly) where the
// emulator is absent.
import { PubSub } from '@google-cloud/pubsub';
import Ajv from 'ajv';
import cliSchema from '../../functions/cli/cli-output.schema.json';
import reportSchema from '../../functions/notify/report.schema.json';
import { startEmulator, type Emulator, type LogEntry } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { pubSubEmulatorAvailable, startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator';
import { pubSubTest } from '../support/pubsub-test';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, removeTempDirs, runCli, writeMesh } from './cli-harness';

const available = pubSubEmulatorAvailable();
const withPubSub = pubSubTest();
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(reportSchema);
const validateCli = ajv.compile(cliSchema);

const server = declaredService();
const SUBSCRIPTION = 'projects/demo-project/subscriptions/mesh-dead-letter';

let emulator: Emulator;
let pubsubEmulator: PubSubEmulator | null = null;
let pubsub: PubSub | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(server), operationDelayMs: 0 });
  if (available) {
    pubsubEmulator = await startPubSubEmulator();
    pubsub = new PubSub({ projectId: 'demo-project', apiEndpoint: pubsubEmulator?.host, emulatorMode: true });
  }
}, 120_000);
afterAll(async () => {
  removeTempDirs();
  await pubsub?.close();
  await pubsubEmulator?.stop();
  await emulator.stop();
});

withPubSub('dry run acknowledges nothing; a real replay repairs, then acknowledges every message; nothing is left', async () => {
  const [topic] = await (pubsub as PubSub).createTopic('mesh-dead-letter');
  await topic.createSubscription('mesh-dead-letter');
  const alice = new DriftActor(emulator.url);
  await alice.openIngress(server);
  await alice.deleteResource(server, 'forwardingRule');
  // What the push subscription dead-lettered: the sink's messages (data = the LogEntry as JSON).
  const entries: LogEntry[] = structuredClone(emulator.audit.entries);
  for (const entry of entries) await topic.publishMessage({ data: Buffer.from(JSON.stringify(entry)) });
  await topic.publishMessage({ data: Buffer.from('not json at all') }); // a poisoned one: acknowledged as malformed
  const env = emulatorEnv(emulator, { PUBSUB_EMULATOR_HOST: (pubsubEmulator as PubSubEmulator).host });
  const mesh = writeMesh([server]);
  const pulled = entries.length + 1;

  const dry = await runCli(['replay', '--dry-run', '--json', '--config', mesh, '--subscription', SUBSCRIPTION], { env });
  expect(dry.code).toBe(2); // drift left: a dry run repairs nothing
  const dryDoc: unknown = JSON.parse(dry.stdout);
  expect(validateCli(dryDoc) ? [] : validateCli.errors).toEqual([]);
  expect(dryDoc).toMatchObject({ command: 'replay', pulled, acknowledged: 0, left: pulled, services: [server.key] });
  expect((await runCli(['diff', '--config', mesh], { env })).code).toBe(2);

  const writes = emulator.writes();
  const real = await runCli(['replay', '--config', mesh, '--subscription', SUBSCRIPTION], { env });
  expect(real.stderr).toBe('');
  expect(real.code).toBe(0);
  expect(real.stdout).toContain(`replay: ${pulled} messages pulled from ${SUBSCRIPTION}`);
  expect(real.stdout).toContain(`1 service reconciled; ${pulled} acknowledged, 0 left on the subscription`);
  expect(emulator.writes() - writes).toBeGreaterThanOrEqual(2); // ingress and the forwarding rule
  expect((await runCli(['diff', '--config', mesh], { env })).code).toBe(0);

  const again = await runCli(['replay', '--json', '--config', mesh, '--subscription', SUBSCRIPTION], { env });
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ pulled: 0, acknowledged: 0, left: 0, services: [] });
}, 120_000);

test('--subscription takes no FILE, and replay without either says what it needs', async () => {
  const env = emulatorEnv(emulator);
  const both = await runCli(['replay', '--config', writeMesh([server]), '--subscription', SUBSCRIPTION, 'audit.json'], { env });
  expect(both.code).toBe(1);
  expect(both.stderr).toContain('give one or the other');
  const neither = await runCli(['replay', '--config', writeMesh([server])], { env });
  expect(neither.code).toBe(1);
  expect(neither.stderr).toContain('--subscription projects/P/subscriptions/S');
  const bad = await runCli(['replay', '--config', writeMesh([server]), '--subscription', 'mesh-dead-letter'], { env });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--subscription must be projects/PROJECT/subscriptions/SUBSCRIPTION');
});
