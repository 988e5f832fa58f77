// The real `terraform` CLI on deploy/: formatting, `validate` of the module and both examples
// against the google provider's real schema (served by the schema-only stand-in), and the module's
// own `terraform test` files with mock providers. Nothing may be downloaded: every run goes through
// a proxy that records requests, and the runs must leave it untouched.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOrSkip } from '../support/test-or-skip';
import { findTerraform, NO_TERRAFORM, terraformSandbox, type TerraformSandbox } from './terraform-provider/terraform-cli';

// validate starts the stand-in provider twice; `terraform test` attaches to one already running.
jest.setTimeout(240_000);

const terraform = findTerraform();
const suite = describeOrSkip(Boolean(terraform), NO_TERRAFORM);

/** An HTTP proxy that refuses everything and remembers what was asked of it. */
async function recordingProxy(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on('connect', (req, socket) => {
    requests.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const proxyEnv = (url: string): NodeJS.ProcessEnv => ({
  HTTPS_PROXY: url,
  HTTP_PROXY: url,
  https_proxy: url,
  http_proxy: url,
  NO_PROXY: '',
  no_proxy: '',
});

const output = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;

suite('terraform CLI', () => {
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let sandbox: TerraformSandbox;
  const run = (args: string[], dir: string, env: NodeJS.ProcessEnv = {}): ReturnType<TerraformSandbox['run']> =>
    sandbox.run(['-chdir=' + join(sandbox.deployDir, dir), ...args, '-no-color'], sandbox.deployDir, { ...proxyEnv(proxy.url), ...env });

  beforeAll(async () => {
    proxy = await recordingProxy();
    sandbox = terraformSandbox(terraform!);
  });

  afterAll(async () => {
    sandbox.remove();
    proxy.server.closeAllConnections();
    await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
  });

  it('finds every file formatted (terraform fmt -check)', async () => {
    const result = await run(['fmt', '-check', '-recursive', '-diff'], '.');
    expect([result.status, output(result)]).toEqual([0, expect.any(String)]);
  });

  it.each(['terraform', 'examples/blog', 'examples/org'])('validates deploy/%s against the google provider schema', async (dir) => {
    const init = await run(['init', '-backend=false', '-input=false'], dir);
    expect([init.status, output(init)]).toEqual([0, expect.stringContaining('Terraform has been successfully initialized')]);
    const validate = await run(['validate'], dir);
    expect([validate.status, output(validate)]).toEqual([0, expect.stringContaining('The configuration is valid')]);
  });

  it('fails validation on a misspelled attribute, naming it', async () => {
    const file = join(sandbox.deployDir, 'terraform', 'pubsub.tf');
    const original = readFileSync(file, 'utf8');
    expect(original).toContain('ack_deadline_seconds');
    writeFileSync(file, original.replace('ack_deadline_seconds', 'ack_deadline_second'));
    try {
      const validate = await run(['validate'], 'terraform');
      expect(validate.status).toBe(1);
      expect(output(validate)).toContain('An argument named "ack_deadline_second" is not expected here');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('runs the module tests (mock provider: project, folder and organization scopes, variable checks)', async () => {
    // One stand-in for all of its runs (validate above has terraform start it as it would google).
    const result = await run(['test'], 'terraform', await sandbox.attachedProvider());
    expect([result.status, output(result)]).toEqual([0, expect.stringMatching(/Success! \d+ passed, 0 failed/)]);
  });

  it('downloaded nothing: no request reached the proxy', () => {
    expect(proxy.requests).toEqual([]);
  });

  it('would have seen a download: a configuration that allows one goes through the proxy', async () => {
    const control = terraformSandbox(terraform!, '  direct {\n    exclude = ["registry.terraform.io/hashicorp/google"]\n  }\n');
    const dir = join(control.deployDir, 'needs-download');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.tf'), 'terraform {\n  required_providers {\n    null = { source = "hashicorp/null" }\n  }\n}\n');
    const init = await control.run(['init', '-backend=false', '-no-color'], dir, proxyEnv(proxy.url));
    control.remove();
    expect(init.status).toBe(1);
    expect(proxy.requests.some((r) => r.startsWith('CONNECT registry.terraform.io:443'))).toBe(true);
  });
});
