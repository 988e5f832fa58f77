// Every row of the bad-environment table (docs/operations.md) through the real Functions Framework
// process: it starts and keeps serving, says what is wrong in exactly one structured ERROR line
// (`mesh-remediator.config-error`: file, path, problem), acknowledges irrelevant input, answers an
// event it cannot judge for redelivery (or, for a problem it can do without, judges it), and
// never prints a secret.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeEntry } from '../fixtures/events';
import { envelope } from '../support/envelopes';
import { FunctionProcess } from '../support/function-process';
import { post } from './harness/deliver';
import { SELF_PRINCIPAL } from '../support/identity';

const SECRET = 'XXXXBADENVSECRET';
const dir = mkdtempSync(join(tmpdir(), 'bad-env-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const EXAMPLE = join(__dirname, '..', '..', 'deploy', 'mesh.example.yaml');
const unreadable = join(dir, 'a-directory.yaml');
mkdirSync(unreadable);

interface Row {
  name: string;
  env: Record<string, string>;
  /** the config-error line's file and path */
  file: string;
  path: string;
  problem: RegExp;
  /** events that need the mesh wait for the fix (redelivered) */
  blocking: boolean;
}

const ROWS: Row[] = [
  {
    name: 'DRY_RUN malformed',
    env: { DRY_RUN: 'maybe' },
    file: 'environment',
    path: 'DRY_RUN',
    problem: /must be true or false, got "maybe"/,
    blocking: true,
  },
  {
    name: 'SELF_PRINCIPAL malformed',
    env: { SELF_PRINCIPAL: 'the function' },
    file: 'environment',
    path: 'SELF_PRINCIPAL',
    problem: /service account e-mail/,
    blocking: true,
  },
  {
    name: 'COMPUTE_EMULATOR_HOST malformed',
    env: { COMPUTE_EMULATOR_HOST: 'nowhere' },
    file: 'environment',
    path: 'COMPUTE_EMULATOR_HOST',
    problem: /host:port/,
    blocking: true,
  },
  {
    name: 'CLOUD_RUN_EMULATOR_HOST malformed',
    env: { CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:99999' },
    file: 'environment',
    path: 'CLOUD_RUN_EMULATOR_HOST',
    problem: /host:port/,
    blocking: true,
  },
  {
    name: 'STORAGE_EMULATOR_HOST malformed',
    env: { STORAGE_EMULATOR_HOST: '127.0.0.1:4443' },
    file: 'environment',
    path: 'STORAGE_EMULATOR_HOST',
    problem: /must be http:\/\/host:port/,
    blocking: true,
  },
  {
    name: 'PUBSUB_EMULATOR_HOST malformed',
    env: { PUBSUB_EMULATOR_HOST: 'nowhere' },
    file: 'environment',
    path: 'PUBSUB_EMULATOR_HOST',
    problem: /host:port/,
    blocking: false,
  },
  {
    name: 'REPORT_TOPIC malformed',
    env: { REPORT_TOPIC: 'mesh-reports' },
    file: 'environment',
    path: 'REPORT_TOPIC',
    problem: /projects\/PROJECT\/topics\/TOPIC/,
    blocking: false,
  },
  {
    name: 'SWEEP_RATE_PER_API malformed',
    env: { SWEEP_RATE_PER_API: 'fast' },
    file: 'environment',
    path: 'SWEEP_RATE_PER_API',
    problem: /positive number/,
    blocking: false,
  },
  {
    name: 'SWEEP_CONCURRENCY malformed',
    env: { SWEEP_CONCURRENCY: '-1' },
    file: 'environment',
    path: 'SWEEP_CONCURRENCY',
    problem: /positive number/,
    blocking: false,
  },
  {
    name: 'SLACK_WEBHOOK_URL not a URL',
    env: { SLACK_WEBHOOK_URL: `not a url ${SECRET}` },
    file: 'environment',
    path: 'SLACK_WEBHOOK_URL',
    problem: /not a URL \(value withheld/,
    blocking: false,
  },
  {
    name: 'secret file missing',
    env: { SLACK_WEBHOOK_URL_FILE: join(dir, 'no-such-secret') },
    file: 'environment',
    path: 'SLACK_WEBHOOK_URL_FILE',
    problem: /ENOENT/,
    blocking: false,
  },
  {
    name: 'mesh missing',
    env: { MESH_CONFIG: join(dir, 'missing.yaml') },
    file: join(dir, 'missing.yaml'),
    path: '(root)',
    problem: /file not found/,
    blocking: true,
  },
  {
    name: 'mesh unreadable',
    env: { MESH_CONFIG: unreadable },
    file: unreadable,
    path: '(root)',
    problem: /cannot read mesh config/,
    blocking: true,
  },
  {
    name: 'mesh YAML syntax error',
    env: { MESH_CONFIG: file('syntax.yaml', 'services:\n  - project: "unterminated\n') },
    file: join(dir, 'syntax.yaml'),
    path: 'line 3, column 1',
    problem: /Missing closing "quote/,
    blocking: true,
  },
  {
    name: 'mesh malformed (schema)',
    env: { MESH_CONFIG: file('schema.yaml', readFileSync(EXAMPLE, 'utf8').replace('ipAddress: 10.0.0.100', 'ipAddress: 10.0.0.300')) },
    file: join(dir, 'schema.yaml'),
    path: 'services[0].loadBalancer.ipAddress',
    problem: /IPv4 address/,
    blocking: true,
  },
];

// Nothing listens on port 9: a reconcile that did start would fail fast, never reach Google.
const BASE = {
  MESH_CONFIG: EXAMPLE,
  SELF_PRINCIPAL,
  CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:9',
  COMPUTE_EMULATOR_HOST: '127.0.0.1:9',
};

// Irrelevant by its method alone: decided without the mesh.
const irrelevant = computeEntry();
irrelevant.insertId = 'irrelevant';
irrelevant.protoPayload.methodName = 'v1.compute.instances.insert';
irrelevant.protoPayload.resourceName = 'projects/demo-project/zones/asia-northeast1-a/instances/vm-1';
// A forwarding rule nobody declared, changed 1 h 45 min ago: only the mesh can tell.
const needsMesh = computeEntry();
needsMesh.insertId = 'needs-mesh';
needsMesh.timestamp = new Date(Date.now() - 105 * 60_000).toISOString();
needsMesh.protoPayload.resourceName = 'projects/demo-project/regions/asia-northeast1/forwardingRules/someone-elses';

test.each(ROWS)(
  '$name: keeps serving, one config-error line, nothing leaked',
  async (row) => {
    const fn = await FunctionProcess.start({ env: { ...BASE, ...row.env } });
    try {
      const ignored = await post(fn.url, envelope(irrelevant, 'pubsub-structured', 'm1'), 30_000);
      const judged = await post(fn.url, envelope(needsMesh, 'pubsub-structured', 'm2'), 30_000);
      const said = () => [...fn.stdout, ...fn.stderr, ignored.body, judged.body].join('\n');

      await fn.record((r) => r.event === 'mesh-remediator.config-error');
      const errors = fn.records.filter((r) => r.event === 'mesh-remediator.config-error' && r.severity === 'ERROR');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: row.file, path: row.path, blocking: row.blocking });
      expect(String(errors[0]!.problem)).toMatch(row.problem);
      expect(ignored.status).toBeLessThan(300);
      if (row.blocking) {
        // Redelivered, however old (1 h 45 min here): the cause is ours. One ALERT, no stack trace.
        expect(judged.status).toBe(500);
        await fn.record((r) => r.severity === 'ALERT');
        expect(fn.records.filter((r) => r.severity === 'ALERT')).toHaveLength(1);
        expect(said()).not.toContain('    at ');
      } else {
        // Judged with the mesh: not declared, acknowledged.
        expect(judged.status).toBeLessThan(300);
        const skipped = await fn.record((r) => r.skipReason === 'not-declared');
        expect(skipped.message).toContain('someone-elses');
      }
      expect(said()).not.toContain(SECRET);
    } finally {
      await fn.stop();
    }
  },
  120_000,
);
