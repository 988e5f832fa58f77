// `mesh-remediator import` against the emulator seeded with several chains: conforming names,
// overridden names, a broken chain (its address released, the rule recreated on an unreserved IP),
// an ambiguous one (two URL maps on one backend) and a foreign one (an external backend). Each
// complete chain is imported, the others are reported with the reason; the result validates and
// `diff` finds nothing on the same state (the round trip), fresh and merged into a hand-written mesh.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY, serviceKey, type DeclaredService } from '../../functions/config/mesh';
import { regionalUrl, toUrl } from '../../functions/gcp/refs';
import { startEmulator, type Emulator } from '../emulator';
import { declaredService } from '../emulator/test-mesh';
import { DriftActor } from '../support/drift-actor';
import { emulatorEnv, runCli } from './cli-harness';
import { PROJECT, REGION } from '../support/identity';

const project = PROJECT;
const region = REGION;
const server = declaredService('server-service', 'internal-lb', '10.0.0.100');
const orders: DeclaredService = (() => {
  const base = declaredService('orders', 'orders-lb', '10.0.0.101');
  return {
    ...base,
    loadBalancer: { ...base.loadBalancer, names: { ...base.loadBalancer.names, urlMap: 'orders-routing', forwardingRule: 'orders-fr' } },
  };
})();
const billing = declaredService('billing', 'billing-lb', '10.0.0.102');
const catalog = declaredService('catalog', 'catalog-lb', '10.0.0.104');
/** A complete chain in another region, found only when the regions are discovered. */
const ledger: DeclaredService = (() => {
  const base = declaredService('ledger', 'ledger-lb', '10.0.0.110');
  const at = 'europe-west1';
  const subnetwork = `projects/${project}/regions/${at}/subnetworks/eu-subnet`;
  return { ...base, region: at, key: serviceKey(project, at, 'ledger'), loadBalancer: { ...base.loadBalancer, subnetwork } };
})();

let emulator: Emulator;
let dir: string;
let env: NodeJS.ProcessEnv;

/** Alice's compute call, then the operation's wait, as gcloud does. */
async function compute(method: string, path: string, body: unknown): Promise<void> {
  const base = `${emulator.url}/compute/v1/projects/${project}/regions/${region}`;
  const headers = { 'content-type': 'application/json', authorization: 'Bearer principal:alice@example.com' };
  const res = await fetch(`${base}/${path}`, { method, headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const op = (await res.json()) as { name: string };
  await (await fetch(`${base}/operations/${op.name}/wait`, { method: 'POST', headers })).text();
}

beforeAll(async () => {
  emulator = await startEmulator({
    seed: { services: [server, orders, billing, catalog, ledger], policy: DEFAULT_POLICY },
    operationDelayMs: 0,
  });
  env = emulatorEnv(emulator);
  dir = mkdtempSync(join(tmpdir(), 'mesh-import-'));
  const actor = new DriftActor(emulator.url);
  // Broken: billing's address released (its rule goes first), the rule recreated on an unreserved IP.
  await actor.deleteAlone(billing, 'address');
  await compute('POST', 'forwardingRules', {
    name: billing.loadBalancer.names.forwardingRule,
    IPAddress: '10.0.0.103',
    IPProtocol: 'TCP',
    portRange: '80',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    network: toUrl(billing.loadBalancer.network),
    subnetwork: toUrl(billing.loadBalancer.subnetwork),
    target: regionalUrl('targetProxy', { project, region, name: billing.loadBalancer.names.targetProxy }),
  });
  // Ambiguous: a second URL map defaulting to catalog's backend.
  await compute('POST', 'urlMaps', {
    name: 'catalog-canary-map',
    defaultService: regionalUrl('backendService', { project, region, name: catalog.loadBalancer.names.backendService }),
  });
  // Foreign: a serverless NEG behind a regional external Application Load Balancer backend.
  await compute('POST', 'networkEndpointGroups', {
    name: 'public-web-neg',
    networkEndpointType: 'SERVERLESS',
    cloudRun: { service: 'public-web' },
  });
  await compute('POST', 'backendServices', {
    name: 'public-web-backend',
    protocol: 'HTTP',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    backends: [{ group: regionalUrl('neg', { project, region, name: 'public-web-neg' }), balancingMode: 'UTILIZATION', capacityScaler: 1 }],
  });
}, 60_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emulator.stop();
});

const importArgs = ['import', '--project', project, '--region', region];

test('imports the complete chains, reports the others with the reason, and round-trips', async () => {
  const out = join(dir, 'imported.yaml');
  const run = await runCli([...importArgs, '--out', out], { env });
  expect([run.code, run.stdout, run.stderr]).toEqual([2, '', expect.stringContaining('imported 2 services')]);
  const leftOut = run.stderr.split('\n').filter((line) => line.startsWith('left out: '));
  expect(leftOut).toEqual([
    expect.stringMatching(
      /^left out: NEG demo-project\/asia-northeast1\/billing-lb-neg → Cloud Run service billing: partial chain: no reserved internal address holds 10\.0\.0\.103/,
    ),
    expect.stringMatching(
      /^left out: NEG demo-project\/asia-northeast1\/catalog-lb-neg → Cloud Run service catalog: ambiguous: URL maps catalog-canary-map, catalog-lb-url-map all route to backend service catalog-lb-backend-svc$/,
    ),
    expect.stringMatching(
      /^left out: NEG demo-project\/asia-northeast1\/public-web-neg → Cloud Run service public-web: foreign chain: backend service public-web-backend is EXTERNAL_MANAGED/,
    ),
  ]);
  const text = readFileSync(out, 'utf8');
  expect(text).toContain('namePrefix: orders-lb # 4 of 6 names follow <prefix>-…');
  expect(text).toMatch(
    /names:\n\s+urlMap: orders-routing # does not follow orders-lb-url-map\n\s+forwardingRule: orders-fr # does not follow orders-lb-frontend/,
  );
  expect(text).toContain('ipAddress: 10.0.0.100 # address internal-lb-ip');
  expect(text).not.toMatch(/billing|catalog|public-web/);

  const validate = await runCli(['validate', '--config', out], { env });
  expect([validate.code, validate.stderr]).toEqual([0, '']);
  expect(validate.stdout).toMatch(/valid, 2 services/);
  const diff = await runCli(['diff', '--config', out], { env });
  expect([diff.code, diff.stderr]).toEqual([0, '']);

  // Stable: the same state imports to the same bytes.
  const again = await runCli(importArgs, { env });
  expect(again.stdout).toBe(text);
}, 60_000);

test('--merge updates a hand-written mesh in place and keeps its comments, clients and policy', async () => {
  const file = join(dir, 'mesh.yaml');
  writeFileSync(
    file,
    `# Our mesh: owned by the platform team.
services:
  # server-service is called by client-service only.
  - project: ${project}
    region: ${region}
    service: server-service
    ingress: internal
    loadBalancer:
      namePrefix: internal-lb
      network: projects/${project}/global/networks/test-vpc
      subnetwork: projects/${project}/regions/${region}/subnetworks/test-subnet
      ipAddress: 10.0.0.99   # stale: import corrects it
      port: 80
      names: {urlMap: internal-lb-url-map}
    clients:
      - service: client-service   # hand-written, import never touches it
        vpcAccess: {network: test-vpc, subnetwork: test-subnet, egress: private-ranges-only}
policy:
  repairClientEgress: false   # decided in review
  ignorePrincipals: [terraform@${project}.iam.gserviceaccount.com]
`,
  );
  const run = await runCli([...importArgs, '--merge', file], { env });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('added: demo-project/asia-northeast1/orders');
  expect(run.stderr).toContain('updated: demo-project/asia-northeast1/server-service');
  const text = readFileSync(file, 'utf8');
  // The yaml Document API keeps every comment (re-spaced to one blank before the #).
  for (const kept of [
    '# Our mesh: owned by the platform team.',
    '# server-service is called by client-service only.',
    'client-service # hand-written, import never touches it',
    'repairClientEgress: false # decided in review',
    'terraform@demo-project.iam.gserviceaccount.com',
  ]) {
    expect(text).toContain(kept);
  }
  expect(text).toContain('ipAddress: 10.0.0.100');
  expect(text).not.toContain('10.0.0.99');
  expect(text).not.toContain('urlMap: internal-lb-url-map');

  const diff = await runCli(['diff', '--config', file], { env });
  // client-service does not exist in this emulator: its drift is the only one diff may show.
  expect(diff.stdout).not.toMatch(/server-service[\s\S]*~ (ingress|address|neg|backendService|urlMap|targetProxy|forwardingRule)/);
  expect(diff.stdout).toMatch(/^client Cloud Run service demo-project\/asia-northeast1\/client-service +exists +service missing$/m);
}, 60_000);

test('without --region: every region holding an INTERNAL_MANAGED forwarding rule is listed, and named on stderr', async () => {
  const out = join(dir, 'all-regions.yaml');
  const run = await runCli(['import', '--project', project, '--out', out], { env });
  expect(run.code).toBe(2); // the broken, ambiguous and foreign chains of asia-northeast1, left out as with --region
  expect(run.stderr).toContain(
    'regions: asia-northeast1, europe-west1 (asia-northeast1, europe-west1 hold INTERNAL_MANAGED forwarding rules; pass --region R to list others)',
  );
  expect(run.stderr).toContain(
    `imported 3 services: demo-project/asia-northeast1/orders, demo-project/asia-northeast1/server-service, demo-project/europe-west1/ledger → ${out}`,
  );
  const diff = await runCli(['diff', '--config', out], { env });
  expect([diff.code, diff.stderr]).toEqual([0, '']);
}, 60_000);

test('says where to import from, and what to pass when no region holds an internal forwarding rule', async () => {
  expect((await runCli(['import'], { env })).stderr).toMatch(/--project P \[--region R\]\.\.\. or --terraform FILE/);
  const empty = await runCli(['import', '--project', 'empty-project'], { env });
  expect([empty.code, empty.stdout]).toEqual([1, '']);
  expect(empty.stderr).toMatch(
    /no region of project empty-project holds an INTERNAL_MANAGED forwarding rule \(forwardingRules\.aggregatedList\).*pass --region R/,
  );
});
