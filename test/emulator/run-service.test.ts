// Contract tests of the Cloud Run Admin v2 surface through the real @google-cloud/run
// ServicesClient (REST fallback) and, where the wire itself is the point, through fetch.
import { v2 } from '@google-cloud/run';
import { startEmulator, type Emulator } from './index';
import { clientOptions } from './test-clients';
import { declaredService, demoMesh } from './test-mesh';

const NAME = 'projects/demo-project/locations/asia-northeast1/services/server-service';
const PARENT = 'projects/demo-project/locations/asia-northeast1';
const ROBOT = 'robot@demo-project.iam.gserviceaccount.com';

let emulator: Emulator;
let run: v2.ServicesClient;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: demoMesh(declaredService(), declaredService('other-service', 'other-lb', '10.0.0.101')),
    operationDelayMs: 30,
  });
  run = new v2.ServicesClient({ fallback: true, ...clientOptions(emulator, ROBOT) });
});
afterAll(async () => {
  await run.close();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

async function setIngress(ingress: string | number, etag: string) {
  const [operation] = await run.updateService({
    service: { name: NAME, ingress: ingress as never, etag },
    updateMask: { paths: ['ingress'] },
  });
  const [service] = await operation.promise();
  return service;
}

test('getService returns the seeded service with its declared ingress and output fields', async () => {
  const [service] = await run.getService({ name: NAME });
  expect(service).toMatchObject({ name: NAME, ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', generation: '1', reconciling: false });
  expect(service.uid).toMatch(/^[0-9a-f-]{36}$/);
  expect(service.etag).toBeTruthy();
  expect(service.latestCreatedRevision).toBe(service.latestReadyRevision);
  expect(service.latestCreatedRevision).toMatch(new RegExp(`^${NAME}/revisions/server-service-00001-[a-z]{3}$`));
  expect(service.createTime?.seconds).toBeTruthy();
});

test('the wire carries integer enums only when the query asks for enum-encoding=int', async () => {
  const asInt = await (await fetch(`${emulator.url}/v2/${NAME}?$alt=json;enum-encoding=int`)).json();
  const asName = await (await fetch(`${emulator.url}/v2/${NAME}`)).json();
  expect(asInt.ingress).toBe(2);
  expect(asInt.traffic[0].type).toBe(1);
  expect(asName.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
  expect(asName.launchStage).toBe('GA');
});

test('an ingress update with etag and updateMask changes ingress and etag but creates no revision', async () => {
  const [before] = await run.getService({ name: NAME });
  const updated = await setIngress('INGRESS_TRAFFIC_ALL', before.etag as string);
  expect(updated.ingress).toBe(1); // the LRO result decodes enums as numbers (README.md beside this file, Enums)
  const [after] = await run.getService({ name: NAME });
  expect(after.ingress).toBe('INGRESS_TRAFFIC_ALL');
  expect(after.etag).not.toBe(before.etag);
  expect(after.generation).toBe('2');
  expect(after.latestCreatedRevision).toBe(before.latestCreatedRevision);
  expect(after.lastModifier).toBe(ROBOT);
  expect(emulator.writes()).toBe(1);
});

test('a template change creates a new revision', async () => {
  const [before] = await run.getService({ name: NAME });
  const [operation] = await run.updateService({
    service: { name: NAME, etag: before.etag, template: { containers: [{ image: 'us-docker.pkg.dev/demo/app:v2' }] } },
    updateMask: { paths: ['template'] },
  });
  await operation.promise();
  const [after] = await run.getService({ name: NAME });
  expect(after.latestCreatedRevision).toMatch(/server-service-00002-[a-z]{3}$/);
  expect(after.latestReadyRevision).toBe(after.latestCreatedRevision);
  expect(after.template?.containers?.[0]?.image).toBe('us-docker.pkg.dev/demo/app:v2');
});

test('updateMask limits the update to the named fields', async () => {
  const [before] = await run.getService({ name: NAME });
  const [operation] = await run.updateService({
    service: { name: NAME, etag: before.etag, ingress: 'INGRESS_TRAFFIC_ALL', labels: { team: 'mesh' } },
    updateMask: { paths: ['labels'] },
  });
  await operation.promise();
  const [after] = await run.getService({ name: NAME });
  expect(after.labels).toEqual({ team: 'mesh' });
  expect(after.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
});

test('a stale etag is refused with ABORTED (code 10; v2 behaviour unverified) and changes nothing', async () => {
  const [before] = await run.getService({ name: NAME });
  await setIngress('INGRESS_TRAFFIC_ALL', before.etag as string);
  await expect(setIngress('INGRESS_TRAFFIC_INTERNAL_ONLY', before.etag as string)).rejects.toMatchObject({ code: 10 });
  const [after] = await run.getService({ name: NAME });
  expect(after.ingress).toBe('INGRESS_TRAFFIC_ALL');
  const failed = emulator.audit.entries.filter((e) => e.severity === 'ERROR');
  expect(failed).toHaveLength(1);
  expect(failed[0]?.protoPayload.status.code).toBe(10);
  expect(failed[0]?.operation).toBeUndefined();
});

test('an update without etag is accepted (etag is optional)', async () => {
  const [operation] = await run.updateService({
    service: { name: NAME, ingress: 'INGRESS_TRAFFIC_ALL' },
    updateMask: { paths: ['ingress'] },
  });
  await operation.promise();
  expect((await run.getService({ name: NAME }))[0].ingress).toBe('INGRESS_TRAFFIC_ALL');
});

test("a missing service is NOT_FOUND (code 5) with Cloud Run's message", async () => {
  await expect(run.getService({ name: `${PARENT}/services/ghost` })).rejects.toMatchObject({
    code: 5,
    message: expect.stringContaining(
      "Resource 'ghost' of kind 'SERVICE' in region 'asia-northeast1' in project 'demo-project' does not exist.",
    ),
  });
  const res = await fetch(`${emulator.url}/v2/${PARENT}/services/ghost`);
  expect(res.status).toBe(404);
  expect((await res.json()).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
});

test('create, list and delete services; creating an existing one is ALREADY_EXISTS (code 6)', async () => {
  const [create] = await run.createService({
    parent: PARENT,
    serviceId: 'new-service',
    service: { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', template: { containers: [{ image: 'gcr.io/x/y' }] } },
  });
  const [created] = await create.promise();
  expect(created.name).toBe(`${PARENT}/services/new-service`);
  const [services] = await run.listServices({ parent: PARENT });
  expect(services.map((s) => s.name).sort()).toEqual([`${PARENT}/services/new-service`, `${PARENT}/services/other-service`, NAME]);
  await expect(run.createService({ parent: PARENT, serviceId: 'new-service', service: {} })).rejects.toMatchObject({ code: 6 });
  const [del] = await run.deleteService({ name: `${PARENT}/services/new-service` });
  await del.promise();
  await expect(run.getService({ name: `${PARENT}/services/new-service` })).rejects.toMatchObject({ code: 5 });
  expect(emulator.mutations.map((m) => m.methodName)).toEqual([
    'google.cloud.run.v2.Services.CreateService',
    'google.cloud.run.v2.Services.DeleteService',
  ]);
});

test('the operation completes after the configured delay; until then the service is reconciling', async () => {
  emulator.faults.set({ operationDelayMs: 300 });
  const [before] = await run.getService({ name: NAME });
  // Timed from the update itself: on a loaded machine most of the delay may be gone before :wait is asked.
  const updated = Date.now();
  const [operation] = await run.updateService({
    service: { name: NAME, ingress: 'INGRESS_TRAFFIC_ALL', etag: before.etag },
    updateMask: { paths: ['ingress'] },
  });
  expect(operation.done).toBe(false);
  const [during] = await run.getService({ name: NAME });
  expect(during.reconciling).toBe(true);
  const opPath = operation.name as string;
  expect(opPath).toMatch(new RegExp(`^${PARENT}/operations/[0-9a-f-]{36}$`));
  const polled = await (await fetch(`${emulator.url}/v2/${opPath}`)).json();
  expect(polled.done).toBe(false);
  const waited = await (await fetch(`${emulator.url}/v2/${opPath}:wait`, { method: 'POST', body: '{}' })).json();
  expect(waited.done).toBe(true);
  expect(waited.response['@type']).toBe('type.googleapis.com/google.cloud.run.v2.Service');
  // Not before the configured 300 ms (timers may fire a millisecond early on Date.now()'s clock).
  expect(Date.now() - updated).toBeGreaterThanOrEqual(295);
  const [after] = await run.getService({ name: NAME });
  expect(after.reconciling).toBe(false);
});

test('an invalid ingress value is INVALID_ARGUMENT (code 3)', async () => {
  const [before] = await run.getService({ name: NAME });
  const res = await fetch(`${emulator.url}/v2/${NAME}?updateMask=ingress`, {
    method: 'PATCH',
    body: JSON.stringify({ ingress: 'WIDE_OPEN', etag: before.etag }),
  });
  expect(res.status).toBe(400);
  expect((await res.json()).error.status).toBe('INVALID_ARGUMENT');
});
