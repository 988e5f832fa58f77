// `mesh-remediator import --terraform` on `terraform show -json` documents of the blog example
// (state and plan, test/fixtures/terraform/README.md): the entry the example's mesh declares, and
// the round trip: the imported file validates and `diff` finds nothing on the emulator seeded
// with that same mesh.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMesh } from '../../functions/config/load';
import { startEmulator, type Emulator } from '../emulator';
import { emulatorEnv, runCli } from './cli-harness';

const FIXTURES = resolve(__dirname, '../fixtures/terraform');
const EXAMPLE = resolve(__dirname, '../../deploy/mesh.example.yaml');
const SCHEMA = resolve(__dirname, '../deploy/terraform-provider/google-schema.generated.json');
type Json = Record<string, unknown>;
interface Block {
  attributes?: Record<string, unknown>;
  block_types?: Record<string, { block: Block }>;
}

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: loadMesh(EXAMPLE), operationDelayMs: 0 });
  dir = mkdtempSync(join(tmpdir(), 'mesh-import-tf-'));
}, 60_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emulator.stop();
});

const documents = [
  ['state', 'blog-state.json', 'values'],
  ['plan', 'blog-plan.json', 'planned_values'],
] as const;

describe.each(documents)('terraform show -json of the %s', (_what, file, valuesKey) => {
  test("every attribute is one the google provider's schema has (the fixture is not invented)", () => {
    const schemas = (JSON.parse(readFileSync(SCHEMA, 'utf8')) as { resource_schemas: Record<string, { block: Block }> }).resource_schemas;
    const unknown = (values: Json, block: Block, path: string): string[] =>
      Object.entries(values).flatMap(([key, value]) => {
        if (block.attributes?.[key]) return [];
        const nested = block.block_types?.[key];
        if (!nested) return [`${path}${key}`];
        return ((value as Json[] | null) ?? []).flatMap((item) => unknown(item, nested.block, `${path}${key}.`));
      });
    const document = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<
      string,
      { root_module: { resources: Array<{ address: string; type: string; values: Json }> } }
    >;
    const resources = document[valuesKey]!.root_module.resources;
    expect(resources.length).toBeGreaterThanOrEqual(8);
    for (const r of resources) expect([r.address, unknown(r.values, schemas[r.type]!.block, '')]).toEqual([r.address, []]);
  });

  test('imports to the entry deploy/mesh.example.yaml declares; validate passes; diff exits 0 on that state', async () => {
    const out = join(dir, `from-${file}.yaml`);
    const run = await runCli(['import', '--terraform', join(FIXTURES, file), '--out', out]);
    expect([run.code, run.stdout]).toEqual([0, '']);
    expect(run.stderr).toBe(`imported 1 service: demo-project/asia-northeast1/server-service → ${out}\n`);
    const imported = loadMesh(out).services;
    // Which services call which is not in the state (a client's VPC egress does not say whom it
    // calls): clients are written by hand and kept by --merge, so the entry is compared without them.
    const declared = loadMesh(EXAMPLE).services.map((s) => ({ ...s, clients: [] }));
    expect(loadMesh(EXAMPLE).services[0]!.clients.map((c) => c.service)).toEqual(['client-service']);
    expect(imported).toEqual(declared);
    expect(readFileSync(out, 'utf8')).toContain('ipAddress: 10.0.0.100 # address internal-lb-ip (google_compute_address.lb_ip)');

    expect((await runCli(['validate', '--config', out])).code).toBe(0);
    const diff = await runCli(['diff', '--config', out], { env: emulatorEnv(emulator) });
    expect([diff.code, diff.stderr]).toEqual([0, '']);
  }, 60_000);
});

test('a plan whose provider block names no project needs --project, and says so', async () => {
  const plan = JSON.parse(readFileSync(join(FIXTURES, 'blog-plan.json'), 'utf8')) as {
    configuration: { provider_config: { google: { expressions: Json } } };
  };
  delete plan.configuration.provider_config.google.expressions.project;
  const file = join(dir, 'no-project-plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const run = await runCli(['import', '--terraform', file]);
  expect([run.code, run.stdout]).toEqual([1, '']);
  expect(run.stderr).toMatch(
    /the project or region of google_cloud_run_v2_service\.server, .* is unknown in this document .*; pass --project/,
  );
  const withProject = await runCli(['import', '--terraform', file, '--project', 'demo-project']);
  expect(withProject.code).toBe(0);
  expect(withProject.stdout).toContain('service: server-service');
});

test('input that is not terraform show -json output is refused with what to run instead', async () => {
  const file = join(dir, 'state.tfstate');
  writeFileSync(file, JSON.stringify({ version: 4, terraform_version: '1.11.4', resources: [] }));
  const run = await runCli(['import', '--terraform', file]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    `${file}: not terraform show -json output (no format_version); run terraform show -json [PLANFILE] > ${file}`,
  );
});
