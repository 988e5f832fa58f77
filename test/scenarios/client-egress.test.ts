// The client half of the path over the wire: someone removes or widens client-service's VPC access
// with the real Cloud Run v2 client; the audit entry the emulator writes routes to the declared
// service that lists the client; the reconcile (the same one the sweep runs) reports the drift,
// and repairs template.vpcAccess only when policy.repairClientEgress allows it.
import { request } from 'node:http';
import { v2, type protos } from '@google-cloud/run';
import { DEFAULT_POLICY, serviceKey, type DeclaredService, type Mesh } from '../../functions/config/mesh';
import { indexMesh } from '../../functions/config/mesh-index';
import { intake } from '../../functions/events/intake';
import { SkipCounters } from '../../functions/events/skip-counters';
import { createGcpPort } from '../../functions/gcp/adapter';
import { memoryLogger } from '../../functions/log';
import { CLIENT_EGRESS_REPORT_ONLY_REASON } from '../../functions/reconcile/plan';
import { createReconciler } from '../../functions/reconcile/reconciler';
import { asMessagePublished, fixtureText, FIXTURES } from '../fixtures/events';
import { startEmulator, type Emulator } from '../emulator';
import { clientOptions } from '../emulator/test-clients';
import { declaredService } from '../emulator/test-mesh';
import { parseEnvironment } from '../../functions/config/environment';
import { PROJECT, REGION, SELF_PRINCIPAL as SELF } from '../support/identity';

type Template = NonNullable<protos.google.cloud.run.v2.IService['template']>;

const project = PROJECT;
const region = REGION;
const clientName = `projects/${project}/locations/${region}/services/client-service`;
const declared: DeclaredService = {
  ...declaredService(),
  clients: [
    {
      key: serviceKey(project, region, 'client-service'),
      project,
      region,
      service: 'client-service',
      vpcAccess: {
        network: `projects/${project}/global/networks/test-vpc`,
        subnetwork: `projects/${project}/regions/${region}/subnetworks/test-subnet`,
        egress: 'private-ranges-only',
      },
    },
  ],
};
const meshWith = (repairClientEgress: boolean): Mesh => ({ services: [declared], policy: { ...DEFAULT_POLICY, repairClientEgress } });

let emulator: Emulator;
let port: ReturnType<typeof createGcpPort>;
let alice: v2.ServicesClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: meshWith(false), operationDelayMs: 5 });
  port = createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: SELF });
  alice = new v2.ServicesClient({ ...clientOptions(emulator, 'alice@example.com'), fallback: true });
}, 60_000);
afterAll(async () => {
  await Promise.all([port.close(), alice.close()]);
  await emulator.stop();
});

/** Alice edits the client in the console: a full v2 UpdateService with her own template changes. */
async function aliceEdits(change: (template: Template) => void): Promise<void> {
  const [service] = await alice.getService({ name: clientName });
  change(service.template!);
  const [operation] = await alice.updateService({ service });
  await operation.promise();
}

async function readClient() {
  const [service] = await alice.getService({ name: clientName });
  return service;
}

/** The entry the change wrote, through the function's intake: which declared services it concerns. */
function routedKeys(
  entry: unknown = emulator.audit.entries
    .filter((e) => JSON.stringify(e).includes('client-service') && /google\.cloud\.run\.v[12]\.Services\./.test(JSON.stringify(e)))
    .at(-1),
): string[] {
  const result = intake(asMessagePublished(entry), {
    index: indexMesh(meshWith(false)),
    selfPrincipal: SELF,
    ignorePrincipals: [],
    counters: new SkipCounters(),
  });
  if (result.kind !== 'reconcile') throw new Error(`the client's audit entry was skipped: ${result.detail}`);
  return result.keys;
}

const selfWrites = () => emulator.mutations.filter((m) => m.principal === SELF);

describe.each([
  ['removes the VPC access', (t: Template) => void (t.vpcAccess = null), null],
  [
    'widens egress to all traffic',
    (t: Template) => void (t.vpcAccess!.egress = 'ALL_TRAFFIC'),
    {
      network: `projects/${project}/global/networks/test-vpc`,
      subnetwork: `projects/${project}/regions/${region}/subnetworks/test-subnet`,
      egress: 'all-traffic',
    },
  ],
])('alice %s of client-service (v2 UpdateService)', (_what, breakIt, found) => {
  beforeEach(async () => {
    emulator.reset();
    await aliceEdits((template) => {
      breakIt(template);
      template.containers![0]!.env = [{ name: 'GREETING', value: 'alice was here' }];
    });
  });

  test('report-only by default: the event routes to server-service, the drift is reported, nothing is written', async () => {
    expect(routedKeys()).toEqual([declared.key]);
    const outcome = await createReconciler(meshWith(false), { port, logger: memoryLogger() }).reconcile(declared.key);
    expect(outcome.status).toBe('drift-detected');
    expect(outcome.plan.drift).toEqual([
      { type: 'client-egress', client: declared.clients[0]!.key, service: 'client-service', wanted: declared.clients[0]!.vpcAccess, found },
    ]);
    expect(outcome.plan.unrepaired.map((u) => u.reason)).toEqual([CLIENT_EGRESS_REPORT_ONLY_REASON]);
    expect(selfWrites()).toEqual([]);
  }, 30_000);

  test("with policy.repairClientEgress: template.vpcAccess restored as a new revision, alice's other template change kept, verified", async () => {
    const before = await readClient();
    const outcome = await createReconciler(meshWith(true), { port, logger: memoryLogger() }).reconcile(declared.key);
    expect(outcome.status).toBe('repaired');
    expect(outcome.steps.map((s) => [s.step.action, s.status])).toEqual([['setVpcAccess', 'done']]);
    expect(selfWrites().map((m) => [m.methodName, m.resourceName])).toEqual([['google.cloud.run.v2.Services.UpdateService', clientName]]);

    const after = await readClient();
    expect(after.template?.vpcAccess).toMatchObject({
      egress: 'PRIVATE_RANGES_ONLY',
      networkInterfaces: [{ network: declared.clients[0]!.vpcAccess.network, subnetwork: declared.clients[0]!.vpcAccess.subnetwork }],
    });
    expect(after.template?.containers?.[0]?.env).toEqual([expect.objectContaining({ name: 'GREETING', value: 'alice was here' })]);
    expect(after.latestCreatedRevision).not.toBe(before.latestCreatedRevision);
    const again = await createReconciler(meshWith(true), { port, logger: memoryLogger() }).reconcile(declared.key);
    expect([again.status, again.writes]).toEqual(['in-sync', 0]);
  }, 30_000);
});

test('the seeded client reads as declared: the whole mesh is in sync before anyone touches it', async () => {
  emulator.reset();
  const outcome = await createReconciler(meshWith(false), { port, logger: memoryLogger() }).reconcile(declared.key);
  expect(outcome.status).toBe('in-sync');
}, 30_000);

test('a Cloud Run v1 ReplaceService on the client (console, gcloud) routes to the service that lists it', () => {
  // The recorded v1 entry, as if client-service had been replaced (its VPC egress widened in the template annotations).
  const entry = JSON.parse(fixtureText(FIXTURES.runV1ReplaceIngressAll).replaceAll('server-service', 'client-service')) as {
    protoPayload: { request: { service: { spec: { template: Record<string, unknown> } } } };
  };
  entry.protoPayload.request.service.spec.template.metadata = { annotations: { 'run.googleapis.com/vpc-access-egress': 'all-traffic' } };
  expect(routedKeys(entry)).toEqual([declared.key]);
});

type V1Service = { spec: { template: { metadata: { annotations: Record<string, string> } } } };

/** Cloud Run v1 lives on the regional host: reached with the emulator as gcloud's HTTP proxy. */
function regional(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const host = `${region}-127.0.0.1:${emulator.port}`;
  return new Promise((resolvePromise, reject) => {
    const headers = { host, 'content-type': 'application/json', authorization: 'Bearer principal:alice@example.com' };
    const req = request({ host: '127.0.0.1', port: emulator.port, method, path: `http://${host}${path}`, headers }, (res) => {
      let data = '';
      res.on('data', (chunk: Buffer) => (data += chunk.toString()));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, json: JSON.parse(data) as unknown }));
    });
    req.on('error', reject);
    req.end(body === undefined ? '' : JSON.stringify(body));
  });
}

describe('alice widens the egress of client-service with Cloud Run v1 (ReplaceService, as gcloud and the console do)', () => {
  const v1Path = `/apis/serving.knative.dev/v1/namespaces/${project}/services/client-service`;
  beforeEach(async () => {
    emulator.reset();
    const service = (await regional('GET', v1Path)).json as V1Service;
    service.spec.template.metadata.annotations['run.googleapis.com/vpc-access-egress'] = 'all-traffic';
    expect((await regional('PUT', v1Path, service)).status).toBe(200);
  });

  test('the v1 entry routes to server-service; report-only, then repaired with repairClientEgress', async () => {
    expect(routedKeys()).toEqual([declared.key]);
    const reported = await createReconciler(meshWith(false), { port, logger: memoryLogger() }).reconcile(declared.key);
    expect([reported.status, reported.plan.drift.map((d) => d.type === 'client-egress' && d.found?.egress)]).toEqual([
      'drift-detected',
      ['all-traffic'],
    ]);
    expect(selfWrites()).toEqual([]);
    const repaired = await createReconciler(meshWith(true), { port, logger: memoryLogger() }).reconcile(declared.key);
    expect(repaired.status).toBe('repaired');
    const v1 = (await regional('GET', v1Path)).json as V1Service;
    expect(v1.spec.template.metadata.annotations['run.googleapis.com/vpc-access-egress']).toBe('private-ranges-only');
  }, 30_000);
});
