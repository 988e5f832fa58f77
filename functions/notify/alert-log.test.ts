import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLogger, type Severity } from '../log';
import type { OutcomeStatus } from '../reconcile/model';
import { logOutcome, OUTCOME_EVENT, OUTCOME_LABEL, OUTCOME_SEVERITY, SERVICE_LABEL } from './alert-log';
import { outcome } from './outcomes.fixture';

test.each<[OutcomeStatus, Severity]>([
  ['repaired', 'NOTICE'],
  ['failed', 'ERROR'],
  ['breaker-open', 'ALERT'],
  ['drift-detected', 'WARNING'],
  ['paused', 'WARNING'],
  ['in-sync', 'INFO'],
])('%s → one %s line with the stable event and labels a log-based metric counts', (status, severity) => {
  const logger = memoryLogger();
  logOutcome(logger, outcome(status));
  expect(logger.records).toHaveLength(1);
  const [record] = logger.records;
  expect(record).toMatchObject({
    severity,
    event: 'mesh-remediator.outcome',
    serviceKey: 'demo-project/asia-northeast1/server-service',
    insertId: 'abc123-insert',
    outcome: status,
    'logging.googleapis.com/labels': {
      mesh_remediator_outcome: status,
      mesh_remediator_service: 'demo-project/asia-northeast1/server-service',
    },
  });
});

test('the message and fields say what happened, who caused it and why', () => {
  const logger = memoryLogger();
  logOutcome(logger, outcome('failed'));
  expect(logger.records[0]).toMatchObject({
    message:
      'demo-project/asia-northeast1/server-service repair failed (3 drift, 2 writes, 4200 ms): step create forwardingRule internal-lb-frontend failed: permission denied',
    dryRun: false,
    drift: 3,
    remainingDrift: 1,
    writes: 2,
    writeAttempts: 5,
    durationMs: 4200,
    plan: [
      'drift:',
      '  ingress: all → internal',
      '  forwardingRule internal-lb-frontend: missing → exists',
      '  backendService internal-lb-backend-svc .timeoutSec: 5 → 30',
      'steps (one level at a time; the steps of a level run in parallel):',
      '  1. ~ set ingress of server-service to internal',
      '     ~ patch timeoutSec on backendService internal-lb-backend-svc',
      '  2. + create forwardingRule internal-lb-frontend',
    ],
    chain: {
      address: 'ok',
      forwardingRule: 'missing',
      targetProxy: 'ok',
      urlMap: 'ok',
      backendService: 'drifted',
      neg: 'ok',
      runService: 'drifted',
    },
    principal: 'alice@example.com',
    methodName: 'google.cloud.run.v1.Services.ReplaceService',
    reason: 'step create forwardingRule internal-lb-frontend failed: permission denied',
  });
});

test('a sweep outcome has no insertId and says sweep', () => {
  const logger = memoryLogger();
  logOutcome(logger, outcome('repaired', 'svc', { trigger: undefined }));
  expect(logger.records[0]).not.toHaveProperty('insertId');
  expect(logger.records[0]).toMatchObject({ principal: 'sweep', methodName: 'sweep' });
});

test('docs/report-schema.md states the same event, label names and severities', () => {
  const doc = readFileSync(join(__dirname, '../../docs/report-schema.md'), 'utf8');
  expect(doc).toContain(`jsonPayload.event="${OUTCOME_EVENT}"`);
  expect(doc).toContain(`labels.${OUTCOME_LABEL}`);
  expect(doc).toContain(`labels.${SERVICE_LABEL}`);
  for (const [status, severity] of Object.entries(OUTCOME_SEVERITY)) expect(doc).toContain(`| \`${status}\` | \`${severity}\` |`);
});
