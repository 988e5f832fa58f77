import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { PubSub as PubSubClient, Message } from '@google-cloud/pubsub';
import type { OutcomeStatus } from '../reconcile/model';
import { startPubSubEmulator, type PubSubEmulator } from '../../test/support/pubsub-emulator';
import { pubSubTest } from '../../test/support/pubsub-test';
import { outcome } from './outcomes.fixture';
import { parseEnvironment } from '../config/environment';
import { Redactor } from '../log';
import { buildReport, createReportPublisher, reportAttributes, type OutcomeReport } from './report';
import schema from './report.schema.json';

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const STATUSES: OutcomeStatus[] = ['in-sync', 'repaired', 'drift-detected', 'failed', 'paused', 'breaker-open'];

function expectValid(report: unknown): void {
  const ok = validate(report);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe('buildReport', () => {
  test.each(STATUSES)('%s: valid against report.schema.json', (status) => {
    const report = buildReport(outcome(status));
    expectValid(report);
    expect(report).toMatchObject({ schemaVersion: 2, serviceKey: 'demo-project/asia-northeast1/server-service', outcome: status });
    expectValid(JSON.parse(JSON.stringify(report)));
  });

  test('the failed report carries trigger, plan, step results and what remains', () => {
    expect(buildReport(outcome('failed'))).toEqual({
      schemaVersion: 2,
      serviceKey: 'demo-project/asia-northeast1/server-service',
      project: 'demo-project',
      region: 'asia-northeast1',
      service: 'server-service',
      outcome: 'failed',
      dryRun: false,
      trigger: {
        insertId: 'abc123-insert',
        methodName: 'google.cloud.run.v1.Services.ReplaceService',
        principal: 'alice@example.com',
        timestamp: '2026-11-25T10:00:00.123Z',
      },
      drift: [
        { type: 'ingress', wanted: 'internal', found: 'all' },
        { type: 'missing', kind: 'forwardingRule', name: 'internal-lb-frontend' },
        { type: 'mutable', kind: 'backendService', name: 'internal-lb-backend-svc', field: 'timeoutSec', wanted: 30, found: 5 },
      ],
      plannedSteps: [
        { level: 0, action: 'setIngress', kind: 'runService', name: 'server-service' },
        { level: 0, action: 'mutate', kind: 'backendService', name: 'internal-lb-backend-svc' },
        { level: 1, action: 'create', kind: 'forwardingRule', name: 'internal-lb-frontend' },
      ],
      steps: [
        { action: 'setIngress', kind: 'runService', name: 'server-service', status: 'done', attempts: 1, durationMs: 1500, error: null },
        {
          action: 'mutate',
          kind: 'backendService',
          name: 'internal-lb-backend-svc',
          status: 'done',
          attempts: 1,
          durationMs: 700,
          error: null,
        },
        {
          action: 'create',
          kind: 'forwardingRule',
          name: 'internal-lb-frontend',
          status: 'failed',
          attempts: 3,
          durationMs: 9000,
          error: { class: 'permission-denied', message: 'compute.forwardingRules.create denied', code: 403 },
        },
      ],
      unrepaired: [],
      remainingDrift: [{ type: 'missing', kind: 'forwardingRule', name: 'internal-lb-frontend' }],
      writes: 2,
      writeAttempts: 5,
      chain: [
        { kind: 'address', name: 'internal-lb-ip', state: 'ok', fields: [] },
        { kind: 'forwardingRule', name: 'internal-lb-frontend', state: 'missing', fields: [] },
        { kind: 'targetProxy', name: 'internal-lb-target-proxy', state: 'ok', fields: [] },
        { kind: 'urlMap', name: 'internal-lb-url-map', state: 'ok', fields: [] },
        { kind: 'backendService', name: 'internal-lb-backend-svc', state: 'drifted', fields: ['timeoutSec'] },
        { kind: 'neg', name: 'internal-lb-neg', state: 'ok', fields: [] },
        { kind: 'runService', name: 'server-service', state: 'drifted', fields: ['ingress'] },
      ],
      pausedUntil: null,
      startedAt: '2026-11-25T10:00:01.000Z',
      durationMs: 4200,
      reason: 'step create forwardingRule internal-lb-frontend failed: permission denied',
    });
  });

  test('a sweep has a null trigger; attributes are strings for filtering', () => {
    const report = buildReport(outcome('drift-detected', 'svc', { trigger: undefined }));
    expect(report.trigger).toBeNull();
    expectValid(report);
    expect(reportAttributes(report)).toEqual({
      service: 'demo-project/asia-northeast1/svc',
      outcome: 'drift-detected',
      dryRun: 'true',
      schemaVersion: '2',
    });
  });

  test('the schema rejects what a consumer must not receive', () => {
    const report = buildReport(outcome('repaired')) as unknown as Record<string, unknown>;
    expect(validate({ ...report, schemaVersion: 1 })).toBe(false);
    expect(validate({ ...report, chain: [] })).toBe(false);
    expect(validate({ ...report, outcome: 'fixed' })).toBe(false);
    expect(validate({ ...report, drift: [{ type: 'missing', kind: 'router', name: 'x' }] })).toBe(false);
    const { reason: _reason, ...withoutReason } = report;
    expect(validate(withoutReason)).toBe(false);
  });
});

test('the example in docs/report-schema.md is what buildReport produces, and valid', () => {
  const doc = readFileSync(join(__dirname, '../../docs/report-schema.md'), 'utf8');
  const example = /### Example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1]!;
  expectValid(JSON.parse(example));
  expect(JSON.parse(example)).toEqual(buildReport(outcome('failed')));
  expect(doc).toContain(`Attributes \`${JSON.stringify(reportAttributes(buildReport(outcome('failed'))))}\``);
});

/** A publisher configured the way the function is: REPORT_TOPIC and PUBSUB_EMULATOR_HOST. */
function publisherFor(topic: string, emulatorHost: string) {
  const { environment } = parseEnvironment({ REPORT_TOPIC: topic, PUBSUB_EMULATOR_HOST: emulatorHost });
  return createReportPublisher({ topic: environment.reportTopic!, pubsubEmulator: environment.pubsubEmulator, redactor: new Redactor() });
}

describe('through the real Pub/Sub emulator', () => {
  let emulator: PubSubEmulator | null = null;
  let admin: PubSubClient | undefined;
  const previousHost = process.env.PUBSUB_EMULATOR_HOST;

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    if (!emulator) return;
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    const { PubSub } = await import('@google-cloud/pubsub');
    admin = new PubSub({ projectId: 'report-project' });
  }, 90_000);
  afterAll(async () => {
    await admin?.close();
    await emulator?.stop();
    if (previousHost === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
    else process.env.PUBSUB_EMULATOR_HOST = previousHost;
  });

  pubSubTest()(
    'each report is published with its attributes and read back intact',
    async () => {
      const [topic] = await admin!.createTopic('mesh-reports');
      const [subscription] = await topic.createSubscription('mesh-reports-all');
      // Through PUBSUB_EMULATOR_HOST alone, as the deployed function would be configured.
      const publisher = publisherFor('projects/report-project/topics/mesh-reports', emulator!.host);
      const sent: OutcomeReport[] = STATUSES.map((s) => buildReport(outcome(s, `svc-${s}`)));
      const ids = await Promise.all(sent.map((r) => publisher.publish(r)));
      expect(new Set(ids).size).toBe(STATUSES.length);

      const received = await new Promise<Message[]>((resolve, reject) => {
        const messages: Message[] = [];
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} messages arrived`)), 20_000);
        subscription.on('message', (m: Message) => {
          m.ack();
          messages.push(m);
          if (messages.length === STATUSES.length) {
            clearTimeout(timer);
            resolve(messages);
          }
        });
      });
      await subscription.close();
      await publisher.close();

      for (const message of received) {
        const report = JSON.parse(message.data.toString('utf8')) as OutcomeReport;
        expectValid(report);
        expect(message.attributes).toEqual({
          service: report.serviceKey,
          outcome: report.outcome,
          dryRun: String(report.dryRun),
          schemaVersion: '2',
        });
        expect(report).toEqual(sent.find((r) => r.serviceKey === report.serviceKey));
      }
      expect(received.map((m) => m.attributes.outcome).sort()).toEqual([...STATUSES].sort());
    },
    60_000,
  );
});
