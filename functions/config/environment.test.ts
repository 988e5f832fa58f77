import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQuotaLimits } from '../project-quotas';
import { parseEnvironment, parseHostPort } from './environment';

describe('parseEnvironment', () => {
  test('an empty environment: every default, no problem', () => {
    expect(parseEnvironment({})).toEqual({
      environment: {
        meshConfigPath: 'mesh.yaml',
        dryRun: false,
        emulated: false,
        metadataServer: true,
        sweepConcurrency: 20,
        sweepSnapshots: true,
        readBatchWindowMs: 20,
        apiQuotas: parseQuotaLimits(undefined),
        quotaWindowMs: 60_000,
        cliLogToStderr: false,
      },
      problems: [],
    });
  });

  test('every variable read and typed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const secretFile = join(dir, 'slack');
    writeFileSync(secretFile, 'https://hooks.slack.invalid/services/T/B/filesecret\n');
    const { environment, problems } = parseEnvironment({
      MESH_CONFIG: '/etc/mesh/mesh.yaml',
      DRY_RUN: 'yes',
      SELF_PRINCIPAL: 'serviceAccount:fn@p.iam.gserviceaccount.com',
      SLACK_WEBHOOK_URL_FILE: secretFile,
      REPORT_TOPIC: 'projects/p1/topics/reports',
      CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:8090',
      COMPUTE_EMULATOR_HOST: 'http://localhost:8091',
      PUBSUB_EMULATOR_HOST: '[::1]:8085',
      METADATA_SERVER_DETECTION: 'none',
      SWEEP_RATE_PER_API: '2.5',
      SWEEP_CONCURRENCY: '4',
      SWEEP_SNAPSHOTS: 'false',
      SWEEP_TOPIC: 'projects/p1/topics/sweep',
      READ_BATCH_WINDOW_MS: '0',
      API_QUOTAS_PER_MINUTE: 'compute.read=100',
      QUOTA_WINDOW_MS: '1000',
      MESH_REMEDIATOR_LOG: 'stderr',
    });
    expect(problems).toEqual([]);
    expect(environment).toEqual({
      meshConfigPath: '/etc/mesh/mesh.yaml',
      dryRun: true,
      selfPrincipal: 'serviceAccount:fn@p.iam.gserviceaccount.com',
      slackWebhook: { url: 'https://hooks.slack.invalid/services/T/B/filesecret', source: `SLACK_WEBHOOK_URL_FILE (${secretFile})` },
      reportTopic: { name: 'projects/p1/topics/reports', project: 'p1', topic: 'reports' },
      cloudRunEmulator: { host: '127.0.0.1', port: 8090, variable: 'CLOUD_RUN_EMULATOR_HOST' },
      computeEmulator: { host: 'localhost', port: 8091, variable: 'COMPUTE_EMULATOR_HOST' },
      pubsubEmulator: { host: '::1', port: 8085, variable: 'PUBSUB_EMULATOR_HOST' },
      emulated: true,
      metadataServer: false,
      sweepRatePerApi: 2.5,
      sweepConcurrency: 4,
      sweepSnapshots: false,
      sweepTopic: 'projects/p1/topics/sweep',
      readBatchWindowMs: 0,
      apiQuotas: { ...parseQuotaLimits(undefined), 'compute.read': 100 },
      quotaWindowMs: 1000,
      cliLogToStderr: true,
    });
  });

  test('SLACK_WEBHOOK_URL wins over the file; blank values count as unset', () => {
    const url = 'https://hooks.slack.invalid/services/T1/B1/abcdefgh';
    expect(parseEnvironment({ SLACK_WEBHOOK_URL: url, SLACK_WEBHOOK_URL_FILE: '/nonexistent' }).environment.slackWebhook).toEqual({
      url,
      source: 'SLACK_WEBHOOK_URL',
    });
    expect(parseEnvironment({ SLACK_WEBHOOK_URL: '  ', MESH_CONFIG: ' ', DRY_RUN: '' })).toMatchObject({
      environment: { meshConfigPath: 'mesh.yaml', dryRun: false },
      problems: [],
    });
  });

  // Every malformed value: the variable, the problem, whether events wait for a fix, and never a
  // secret's value.
  test.each<[string, NodeJS.ProcessEnv, unknown, boolean]>([
    ['DRY_RUN', { DRY_RUN: 'maybe' }, 'must be true or false, got "maybe"', true],
    ['SELF_PRINCIPAL', { SELF_PRINCIPAL: 'the function' }, 'must be the function\'s service account e-mail, got "the function"', true],
    [
      'CLOUD_RUN_EMULATOR_HOST',
      { CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:99999' },
      'must be host:port (plain HTTP), got "127.0.0.1:99999"',
      true,
    ],
    ['COMPUTE_EMULATOR_HOST', { COMPUTE_EMULATOR_HOST: 'nowhere' }, 'must be host:port (plain HTTP), got "nowhere"', true],
    ['PUBSUB_EMULATOR_HOST', { PUBSUB_EMULATOR_HOST: ':8085' }, 'must be host:port (plain HTTP), got ":8085"', false],
    ['REPORT_TOPIC', { REPORT_TOPIC: 'mesh-reports' }, 'must look like projects/PROJECT/topics/TOPIC, got "mesh-reports"', false],
    ['SWEEP_RATE_PER_API', { SWEEP_RATE_PER_API: 'fast' }, 'must be a positive number, got "fast"', false],
    ['SWEEP_CONCURRENCY', { SWEEP_CONCURRENCY: '0' }, 'must be a positive number, got "0"', false],
    ['SWEEP_SNAPSHOTS', { SWEEP_SNAPSHOTS: 'sometimes' }, 'must be true or false, got "sometimes"', false],
    ['SWEEP_TOPIC', { SWEEP_TOPIC: 'sweep' }, 'must look like projects/PROJECT/topics/TOPIC, got "sweep"', false],
    ['READ_BATCH_WINDOW_MS', { READ_BATCH_WINDOW_MS: '-5' }, 'must be a non-negative number, got "-5"', false],
    ['API_QUOTAS_PER_MINUTE', { API_QUOTAS_PER_MINUTE: 'compute.read' }, expect.stringContaining('"compute.read" is not GROUP=N'), false],
    ['SLACK_WEBHOOK_URL', { SLACK_WEBHOOK_URL: 'not a url XXXXSECRET' }, 'is not a URL (value withheld: it is a secret)', false],
    ['SLACK_WEBHOOK_URL', { SLACK_WEBHOOK_URL: 'ftp://x/XXXXSECRET' }, 'must be an https URL, got scheme ftp:', false],
    ['SLACK_WEBHOOK_URL_FILE', { SLACK_WEBHOOK_URL_FILE: '/nonexistent/slack-url' }, 'cannot read /nonexistent/slack-url: ENOENT', false],
  ])('%s malformed: one specific problem', (variable, env, problem, blocking) => {
    const { problems, environment } = parseEnvironment(env);
    expect(problems).toEqual([{ variable, problem, blocking }]);
    expect(JSON.stringify(problems)).not.toContain('XXXXSECRET');
    expect(environment.slackWebhook).toBeUndefined();
  });

  test('the forms of host:port', () => {
    expect(parseHostPort('127.0.0.1:8085')).toEqual({ host: '127.0.0.1', port: 8085 });
    expect(parseHostPort('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseHostPort('http://localhost:80')).toEqual({ host: 'localhost', port: 80 });
    for (const bad of ['localhost', '127.0.0.1:', ':8080', '127.0.0.1:99999', 'a:b']) expect(parseHostPort(bad)).toBeUndefined();
  });
});
