import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { CliIO } from './command';
import { main } from './main';

const EXAMPLE = resolve(__dirname, '../../deploy/mesh.example.yaml');

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env, stdin: Readable.from([]) };
  const code = await main(['validate', ...argv], io);
  return { code, stdout, stderr };
}

function meshFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'validate-')), 'mesh.yaml');
  writeFileSync(file, text);
  return file;
}

describe('mesh-remediator validate', () => {
  it('summarises each service with its derived names and exits 0', async () => {
    const { code, stdout, stderr } = await run(['--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`${EXAMPLE}: valid, 1 service`);
    expect(stdout).toContain('demo-project/asia-northeast1/server-service');
    expect(stdout).toMatch(
      /forwardingRule +internal-lb-frontend +10\.0\.0\.100:80 on projects\/demo-project\/global\/networks\/test-vpc, target internal-lb-target-proxy/,
    );
    for (const name of ['internal-lb-ip', 'internal-lb-neg', 'internal-lb-backend-svc', 'internal-lb-url-map', 'internal-lb-target-proxy'])
      expect(stdout).toContain(name);
    expect(stdout).toContain('breaker after more than 3 repairs in 600s, client egress reported only');
    expect(stdout).toMatch(
      /client +demo-project\/asia-northeast1\/client-service +vpcAccess network test-vpc, subnetwork test-subnet, egress private-ranges-only/,
    );
  });

  it('reads MESH_CONFIG when --config is absent, and marks overridden names', async () => {
    const file = meshFile(
      `services:
  - {project: demo-project, region: asia-northeast1, service: s, ingress: internal,
     loadBalancer: {namePrefix: lb, network: projects/demo-project/global/networks/n,
       subnetwork: projects/demo-project/regions/asia-northeast1/subnetworks/s, ipAddress: 10.0.0.1, port: 80,
       names: {forwardingRule: my-rule}}}
`,
    );
    const { code, stdout } = await run([], { MESH_CONFIG: file });
    expect(code).toBe(0);
    expect(stdout).toMatch(/forwardingRule +my-rule \(override\)/);
    expect(stdout).toMatch(/urlMap +lb-url-map +default service lb-backend-svc/);
  });

  it('--json prints the resolved mesh', async () => {
    const { code, stdout } = await run(['--config', EXAMPLE, '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ file: EXAMPLE, valid: true, policy: { breaker: { maxRepairs: 3, windowSec: 600 } } });
    expect(out.services[0].loadBalancer.names.targetProxy).toBe('internal-lb-target-proxy');
  });

  it('lists every problem with its path and exits 1', async () => {
    const file = meshFile('services:\n  - project: demo-project\n    region: asia-northeast1\n    service: s\n    ingress: all\n');
    const { code, stdout, stderr } = await run(['--config', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}: services[0].ingress: must be one of internal, internal-and-cloud-load-balancing (got "all")`);
    expect(stderr).toContain(`${file}: services[0].loadBalancer: is required`);
    expect(stderr).toContain(`${file}: 2 problems`);
    const json = await run(['--config', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      file,
      valid: false,
      problems: [
        { path: 'services[0].loadBalancer', message: 'is required' },
        { path: 'services[0].ingress', message: 'must be one of internal, internal-and-cloud-load-balancing (got "all")' },
      ],
    });
  });

  it('prints no secret of its environment (the Slack webhook URL), on stdout or on stderr', async () => {
    const secret = 'https://hooks.slack.invalid/services/T0/B0/validate-sentinel';
    const env = { SLACK_WEBHOOK_URL: secret };
    const file = meshFile(readFileSync(EXAMPLE, 'utf8').replace(/ignorePrincipals: \[\]/, `ignorePrincipals: ["${secret}"]`));
    const valid = await run(['--config', file], env);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('ignorePrincipals [redacted]');
    const missing = await run(['--config', `/nonexistent/${secret}/mesh.yaml`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/[redacted]/mesh.yaml: (root): cannot read mesh config');
    expect(valid.stdout + valid.stderr + missing.stdout + missing.stderr).not.toContain('validate-sentinel');
  });

  it('says clearly when the file is missing, and rejects unknown flags', async () => {
    const missing = await run(['--config', '/nonexistent/mesh.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/mesh.yaml: (root): cannot read mesh config: file not found');
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("mesh-remediator validate: unknown option '--bogus'\nsee 'mesh-remediator validate --help'\n");
  });
});
