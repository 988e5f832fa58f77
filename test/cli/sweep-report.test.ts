// `sweep-report`: a fanned-out sweep's summary from the shard reports waiting on a subscription of
// the report topic, through the CLI process and Google's Pub/Sub emulator. The shard reports are
// the real ones (the shard entry run against the project's emulator with REPORT_TOPIC set, which
// also publishes its outcome reports there), one shard redelivered after reporting, beside a
// second shard's report published the way a shard publishes it, a report of another sweep and a
// malformed one. Skipped (visibly) where the Pub/Sub emulator is absent.
import { composeCli, loadConfig } from '../../functions/composition-root';
import { handleShardEvent, jsonTopic, shardMessages, shardReportAttributes, type ShardReport } from '../../functions/sweep-fanout';
import { declaredService } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { pubSubTest } from '../support/pubsub-test';
import { emulatorEnv, runCli, SELF, writeMesh, cliSchemaErrors } from './cli-harness';
import { run } from './cli-process';
import { cliPubSubRig } from './pubsub-rig';

const withPubSub = pubSubTest();

const server = declaredService();
// Names of this suite's own: the run's suites share one Pub/Sub emulator (secrets.test.ts has mesh-reports).
const REPORT_TOPIC = 'projects/demo-project/topics/sweep-report-reports';
const SUBSCRIPTION = 'projects/demo-project/subscriptions/sweep-report-ops';
const rig = cliPubSubRig(server);
// These runs are about what is pulled, not how long a pull waits for nothing: at most 1 s, not the
// default 5 (every report is on the subscription before a run starts).
const DRAIN = ['--drain-wait', '1'];

withPubSub(
  'joins one sweep once per shard, refuses two sweeps without --sweep, and acknowledges only with --ack',
  async () => {
    const [topic] = await rig.pubsub().createTopic('sweep-report-reports');
    await topic.createSubscription('sweep-report-ops');
    const env = emulatorEnv(rig.emulator, { PUBSUB_EMULATOR_HOST: rig.pubsubHost() });
    const mesh = writeMesh([server]);

    // Sweep A's shard of demo-project/asia-northeast1, run by the shard entry and reported on the
    // report topic; Pub/Sub redelivers it after it reported, so it runs and reports again.
    const runtime = composeCli(loadConfig({ ...env, MESH_CONFIG: mesh, SELF_PRINCIPAL: SELF, REPORT_TOPIC }), { write: () => undefined });
    const [shard] = shardMessages([{ project: server.project, region: server.region }], { sweepId: 'sweep-a' });
    const push = { message: { data: Buffer.from(JSON.stringify(shard)).toString('base64') } };
    try {
      await new DriftActor(rig.emulator.url).openIngress(server);
      expect((await handleShardEvent(push, runtime))?.summary.byStatus).toEqual({ repaired: 1 });
      expect((await handleShardEvent(push, runtime))?.summary.byStatus).toEqual({ 'in-sync': 1 });
    } finally {
      await runtime.close();
    }
    // Sweep A's other shard, another sweep's, and a malformed one, published as a shard publishes.
    const reports = jsonTopic(REPORT_TOPIC, 'REPORT_TOPIC', runtime);
    const other = (sweepId: string, project: string): ShardReport => ({
      schemaVersion: 1,
      sweepId,
      project,
      region: 'europe-west1',
      dryRun: false,
      summary: { services: 2, byStatus: { 'in-sync': 1, 'drift-detected': 1 }, errors: [], durationMs: 2_500 },
    });
    for (const report of [other('sweep-a', 'other-project'), other('sweep-b', 'other-project')])
      await reports.publish(report, shardReportAttributes(report));
    await reports.close();
    await topic.publishMessage({ data: Buffer.from('{"schemaVersion": 1}'), attributes: { kind: 'sweep-shard' } });
    // On the topic now: the repair's outcome report (a sweep's in-sync services are counted in its
    // shard report, not reported alone), 3 shard reports of sweep-a, 1 of sweep-b, 1 malformed.
    const waiting = 6;

    const two = await run(['sweep-report', ...DRAIN, '--subscription', SUBSCRIPTION], { env });
    expect({ code: two.code, stdout: two.stdout }).toEqual({ code: 1, stdout: '' });
    expect(two.stderr).toContain(
      `mesh-remediator sweep-report: shard reports of 2 sweeps wait on ${SUBSCRIPTION}: sweep-a (3 reports), sweep-b (1 report); choose one with --sweep ID`,
    );

    const json = await run(['sweep-report', ...DRAIN, '--subscription', SUBSCRIPTION, '--sweep', 'sweep-a', '--json'], { env });
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 2, stderr: '' }); // drift left in other-project
    const doc: unknown = JSON.parse(json.stdout);
    expect(cliSchemaErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({
      command: 'sweep-report',
      reports: [],
      subscription: SUBSCRIPTION,
      pulled: waiting,
      joined: 3,
      acknowledged: 0,
      left: waiting,
      malformed: [
        {
          error:
            'sweep shard message: project must be a non-empty string; region must be a non-empty string; sweepId must be a non-empty string; dryRun must be true or false',
        },
      ],
      sweep: {
        sweepId: 'sweep-a',
        shards: 2,
        shardKeys: ['demo-project/asia-northeast1', 'other-project/europe-west1'],
        dryRun: false,
        summary: { services: 3, errors: [], durationMs: 2_500 },
      },
    });
    // The redelivered shard counts once: 1 service there, whichever of its two reports came last.
    const { byStatus } = (doc as { sweep: { summary: { byStatus: Record<string, number> } } }).sweep.summary;
    expect(byStatus['drift-detected']).toBe(1);
    expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(3);

    const acked = await run(['sweep-report', ...DRAIN, '--subscription', SUBSCRIPTION, '--sweep', 'sweep-a', '--ack'], { env });
    expect(acked.code).toBe(2);
    expect(acked.stdout).toMatch(
      /^sweep sweep-a: 2 shards reported \(demo-project\/asia-northeast1, other-project\/europe-west1\), slowest 2\.5 s\n3 services: .*; 0 errors\n/,
    );
    expect(acked.stdout).toContain(
      `sweep-report: ${waiting} messages pulled from ${SUBSCRIPTION}, 3 shard reports joined; 3 acknowledged, ${waiting - 3} left on the subscription\n`,
    );
    expect(acked.stderr).toMatch(/^message \d+: malformed shard report: sweep shard message: /);

    // Only sweep-a's reports were acknowledged: sweep-b's and every other message are still there.
    const after = await run(['sweep-report', ...DRAIN, '--subscription', SUBSCRIPTION, '--json'], { env });
    expect(after.code).toBe(2);
    expect(JSON.parse(after.stdout)).toMatchObject({ pulled: waiting - 3, joined: 1, acknowledged: 0, sweep: { sweepId: 'sweep-b' } });
    const gone = await run(['sweep-report', ...DRAIN, '--subscription', SUBSCRIPTION, '--sweep', 'sweep-a'], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`no shard report of sweep sweep-a waits on ${SUBSCRIPTION}; sweeps there: sweep-b (1 report)`);
  },
  240_000,
);

test('--subscription is required and must name a subscription; --drain-wait is a number of seconds', async () => {
  // Two processes side by side: neither reaches Pub/Sub.
  const [missing, bad] = await Promise.all([run(['sweep-report']), run(['sweep-report', '--subscription', 'mesh-reports-ops'])]);
  expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 1, stdout: '' });
  expect(missing.stderr).toContain('sweep-report needs --subscription projects/P/subscriptions/S (a subscription on the report topic)');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--subscription must be projects/PROJECT/subscriptions/SUBSCRIPTION, got mesh-reports-ops');
  const wait = await runCli(['sweep-report', '--subscription', SUBSCRIPTION, '--drain-wait', '601']);
  expect({ code: wait.code, stdout: wait.stdout }).toEqual({ code: 1, stdout: '' });
  expect(wait.stderr).toContain('--drain-wait must be a number of seconds above 0 and at most 600, got "601"');
}, 60_000);
