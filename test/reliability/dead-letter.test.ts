// A broken configuration never eats an event, end to end with Google's Pub/Sub emulator: a push
// subscription with a dead-letter policy (as deploy/terraform/pubsub.tf makes it) delivers a
// person's real audit entries to the Functions Framework process while its mesh file is a YAML
// syntax error. Nothing that needs the mesh is acknowledged; after the last attempt each such
// message lands on the dead-letter topic. The operator fixes the file, the function is redeployed,
// and `mesh-remediator replay --subscription` (the CLI process) on the dead-letter subscription
// repairs every drift (judged by reading the emulator, not by the reconciler) and empties it.
// Skipped, visibly, where the Pub/Sub emulator is not installed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub, v1 } from '@google-cloud/pubsub';
import type { DeclaredService } from '../../functions/config/mesh';
import type { LogEntry } from '../emulator';
import { computeEntry, fixture, FIXTURES } from '../fixtures/events';
import type { OutcomeReport } from '../../functions/notify/report';
import type { FunctionProcess } from '../support/function-process';
import { PROJECT, REGION } from '../support/identity';
import { pubSubEmulatorAvailable, startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator';
import { pubSubTest } from '../support/pubsub-test';
import { runCli } from './harness/cli-process';
import { declaredStateProblems } from './harness/declared-state';
import { applyDrift, createDecoys, type Drift } from './harness/drift-scenarios';
import { Human, HUMAN } from './harness/human';
import { PushTap } from './harness/push-tap';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const withPubSub = pubSubTest();
const scale = readScale();
/** Google's minimum; the emulator honours it (docs/google-behaviour.md). */
const MAX_DELIVERY_ATTEMPTS = 5;
// Named for this suite: a Pub/Sub emulator shared by the whole run holds other suites' topics too.
const TOPIC = 'reliability-mesh-audit';
const DEAD_LETTER = 'reliability-remediate-dead-letter';
const DEAD_LETTER_SUBSCRIPTION = `projects/${PROJECT}/subscriptions/${DEAD_LETTER}`;
/** Every dead letter is on the subscription before a replay starts (the suite pulled each from its twin): a 1 s empty pull says drained. */
const REPLAY = ['replay', '--json', '--subscription', DEAD_LETTER_SUBSCRIPTION, '--drain-wait', '1'];
/** What each declared service goes through while the function cannot read its mesh. */
const DRIFTS: Drift[][] = [
  [{ kind: 'ingress-open' }, { kind: 'delete-chain', depth: 2 }],
  [{ kind: 'repoint-url-map' }, { kind: 'backend-settings' }],
  [{ kind: 'detach-neg' }, { kind: 'ingress-open' }],
];

type SubscriberClient = InstanceType<typeof v1.SubscriberClient>;
type Received = { message?: { data?: Uint8Array | string | null } | null };

let rig: Rig;
let pubsubEmulator: PubSubEmulator | null = null;
let pubsub: PubSub;
let tap: PushTap;
let subscriber: SubscriberClient | undefined;
/** What arrived on the dead-letter topic (through the suite's own subscription of it). */
const deadLetters: Received[] = [];
let fn: FunctionProcess;
const meshDir = mkdtempSync(join(tmpdir(), 'dead-letter-mesh-'));
/** The path the deployed function is given; broken first, fixed later. */
const meshPath = join(meshDir, 'mesh.yaml');

beforeAll(async () => {
  announce('dead-letter', scale, `${DRIFTS.length} services drift while mesh.yaml does not parse`);
  rig = await startRig({ services: DRIFTS.length, seed: scale.seed });
  if (!pubSubEmulatorAvailable()) return;
  pubsubEmulator = await startPubSubEmulator();
  pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: pubsubEmulator?.host, emulatorMode: true });
}, 180_000);

afterAll(async () => {
  await tap?.stop();
  await subscriber?.close();
  await pubsub?.close();
  await pubsubEmulator?.stop();
  await rig?.stop();
  rmSync(meshDir, { recursive: true, force: true });
});

/** Pulls and acknowledges whatever waits on `subscription` (its own subscription of the dead-letter topic; the replay's is left alone). */
async function pullAll(subscriber: SubscriberClient, subscription: string): Promise<Received[]> {
  try {
    const [response] = await subscriber.pull({ subscription, maxMessages: 1000 }, { timeout: 2_000, retry: null });
    const received = response.receivedMessages ?? [];
    if (received.length > 0) await subscriber.acknowledge({ subscription, ackIds: received.map((m) => m.ackId ?? '') });
    return received;
  } catch (err) {
    if ((err as { code?: unknown }).code === 4) return []; // DEADLINE_EXCEEDED: nothing arrived
    throw err;
  }
}

/** Where things stand, for a failure message. */
function progress(): Record<string, unknown> {
  const attempts: Record<string, number> = {};
  for (const d of tap.deliveries) attempts[d.messageId] = (attempts[d.messageId] ?? 0) + 1;
  return { pushAttempts: attempts, statuses: [...new Set(tap.deliveries.map((d) => d.status))], deadLettered: deadLetters.length };
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`dead-letter suite: ${what} did not happen within ${timeoutMs / 1000} s; ${JSON.stringify(progress())}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const principalOf = (e: LogEntry) =>
  (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;
const insertIdOf = (received: Received): string =>
  (JSON.parse(Buffer.from(received.message?.data ?? '').toString('utf8')) as { insertId: string }).insertId;

withPubSub(
  'events dead-lettered while the mesh is broken are all replayed and repaired once it is fixed; none acknowledged unprocessed',
  async () => {
    const { emulator, meshFile, transcript } = rig;
    const services: DeclaredService[] = meshFile.mesh.services;
    writeFileSync(meshPath, 'services:\n  - project: "unterminated\n'); // a YAML syntax error

    // The deployed function behind its push endpoint, and the topics and subscriptions of deploy/terraform/pubsub.tf.
    fn = await rig.start('dead-letter-broken', 'remediateDrift', { MESH_CONFIG: meshPath });
    await fn.record((r) => r.event === 'mesh-remediator.config-error' && r.severity === 'ERROR');
    tap = await PushTap.start(fn.url);
    const [deadLetterTopic] = await pubsub.createTopic(DEAD_LETTER);
    await deadLetterTopic.createSubscription(DEAD_LETTER, { ackDeadlineSeconds: 60 });
    const [watcher] = await deadLetterTopic.createSubscription(`${DEAD_LETTER}-watch`);
    subscriber = new v1.SubscriberClient((await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0]);
    const [topic] = await pubsub.createTopic(TOPIC);
    await topic.createSubscription(`${TOPIC}-push`, {
      pushConfig: { pushEndpoint: tap.endpoint(`/projects/${PROJECT}/topics/${TOPIC}`) },
      deadLetterPolicy: { deadLetterTopic: deadLetterTopic.name, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
      // No retryPolicy (Terraform sets 10 s to 600 s): without one the emulator pushes again about
      // once a second; with one it slowed to 2-3 attempts in 2 minutes (docs/google-behaviour.md).
      ackDeadlineSeconds: 10,
    });

    // A person breaks all three; the Log Router sink publishes each audit entry (the LogEntry JSON).
    const human = new Human(emulator);
    for (const [i, svc] of services.entries()) {
      await createDecoys(human, svc);
      await applyDrift(human, { index: i, service: svc, drifts: DRIFTS[i]!, faults: {} });
    }
    // Beside them, two recorded entries the function decides without its mesh: a VM created (not
    // a method it handles) and the first entry of a Compute operation (it acts on the last).
    const vm = computeEntry();
    vm.insertId = 'dead-letter-vm-insert';
    vm.protoPayload.methodName = 'v1.compute.instances.insert';
    vm.protoPayload.resourceName = `projects/${PROJECT}/zones/${REGION}-a/instances/vm-1`;
    const operationFirst = fixture(FIXTURES.computeDeleteFirst);
    const entries = [...emulator.audit.entries.filter((e) => principalOf(e) === HUMAN), vm, operationFirst] as LogEntry[];
    const writesBefore = emulator.writes();
    // Published together, as a sink's burst: the client sends them in a few batches, not one round trip (and batch delay) each.
    await Promise.all(
      entries.map((entry) =>
        topic.publishMessage({
          data: Buffer.from(JSON.stringify(entry)),
          attributes: { 'logging.googleapis.com/timestamp': entry.timestamp },
        }),
      ),
    );

    // Every message is answered: acknowledged only when judged without the mesh, otherwise
    // redelivered until Pub/Sub gives up and dead-letters it.
    const answered = () => {
      const { acked, neverAcked } = tap.byMessage();
      return new Set([...acked.map((d) => d.messageId), ...neverAcked.keys()]).size;
    };
    await until(`a push of each of the ${entries.length} messages`, () => answered() === entries.length, 60_000);
    await until(
      'dead-lettering of every message never acknowledged',
      async () => {
        deadLetters.push(...(await pullAll(subscriber!, watcher.name)));
        return deadLetters.length >= tap.byMessage().neverAcked.size;
      },
      30_000 + 15_000 * MAX_DELIVERY_ATTEMPTS,
    );
    const { acked, neverAcked } = tap.byMessage();
    // What the function decided without its mesh (a skip line each); anything else acknowledged would be lost.
    const ackedReasons = transcript
      .records('dead-letter-broken:')
      .map((r) => r.skipReason)
      .filter((reason) => typeof reason === 'string');
    expect(ackedReasons).toHaveLength(acked.length);
    expect(new Set(ackedReasons)).toEqual(new Set(['operation-first', 'unhandled-method']));
    for (const [, attempts] of neverAcked) {
      expect(attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS);
      expect(attempts.every((d) => d.status === 500)).toBe(true);
    }
    expect(acked.map((d) => d.insertId)).toEqual(expect.arrayContaining([vm.insertId, operationFirst.insertId]));
    expect(deadLetters.map(insertIdOf).sort()).toEqual([...neverAcked.values()].map((attempts) => attempts[0]!.insertId as string).sort());
    expect(emulator.writes()).toBe(writesBefore); // nothing repaired while broken
    const driftedWhileBroken = await Promise.all(services.map((svc) => declaredStateProblems(emulator, svc)));
    for (const problems of driftedWhileBroken) expect(problems.length).toBeGreaterThan(0);
    // One ALERT line a minute for the whole burst, not one per event.
    const alerts = transcript.records('dead-letter-broken:').filter((r) => r.severity === 'ALERT');
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts.length).toBeLessThanOrEqual(2);

    // The fix: the operator corrects the file, and the function is redeployed (it reads the mesh at cold start).
    writeFileSync(meshPath, readFileSync(meshFile.path, 'utf8'));
    await fn.stop();
    fn = await rig.start('dead-letter-fixed', 'remediateDrift', { MESH_CONFIG: meshPath });
    tap.retarget(fn.url);

    const env = { ...rig.functionEnv, MESH_CONFIG: meshPath, PUBSUB_EMULATOR_HOST: pubsubEmulator!.host };
    const code = await runCli('replay', REPLAY, env, transcript);
    const stdout = transcript.text('replay:stdout');
    expect({ code, stderr: transcript.text('replay:stderr') }).toEqual({ code: 0, stderr: '' });
    const replay = JSON.parse(stdout) as {
      pulled: number;
      acknowledged: number;
      left: number;
      services: string[];
      reports: OutcomeReport[];
    };
    expect(replay).toMatchObject({ pulled: deadLetters.length, acknowledged: deadLetters.length, left: 0 });
    expect(replay.services.sort()).toEqual(services.map((s) => s.key).sort());
    expect(replay.reports.map((r) => r.outcome)).toEqual(services.map(() => 'repaired'));
    expect(replay.reports.flatMap((r) => r.remainingDrift)).toEqual([]);
    for (const svc of services) expect(await declaredStateProblems(emulator, svc)).toEqual([]);

    // Nothing is left: a second replay pulls nothing.
    expect(await runCli('replay-again', REPLAY, env, transcript)).toBe(0);
    expect(JSON.parse(transcript.text('replay-again:stdout'))).toMatchObject({ pulled: 0, acknowledged: 0, left: 0 });
    // The redeployed instance read the fixed file: no configuration problem at its cold start.
    expect(transcript.records('dead-letter-fixed:').filter((r) => r.event === 'mesh-remediator.config-error')).toEqual([]);
    expect(rig.leaks()).toEqual([]);

    const figures = {
      delivered: entries.length,
      pushAttempts: tap.deliveries.length,
      acknowledgedWhileBroken: acked.length,
      deadLettered: deadLetters.length,
      replayed: replay.pulled,
      acknowledgedByReplay: replay.acknowledged,
      servicesReconciled: replay.services.length,
      repaired: replay.reports.filter((r) => r.outcome === 'repaired').length,
      driftsRepaired: replay.reports.reduce((n, r) => n + r.drift.length, 0),
      writes: emulator.writes() - writesBefore,
      acknowledgedWhileBrokenBy: Object.fromEntries(ackedReasons.map((r) => [r, ackedReasons.filter((x) => x === r).length])),
    };
    process.stderr.write(`[reliability] dead-letter figures ${JSON.stringify(figures)}\n`);
  },
  240_000,
);
