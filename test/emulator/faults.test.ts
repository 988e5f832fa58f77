// Fault injection and the admin endpoints: transient 429/503 drawn from a seeded source,
// failing operations, forced 409 races, permanent rejections, latency and request-rate
// accounting, as chaos tests and the sweep benchmark use them.
// Each client from its own module, as functions/gcp/clients.ts loads them: the package barrel loads
// every client of three API versions and the 31 MB generated protos.js, seconds of CPU per suite.
import { ForwardingRulesClient } from '@google-cloud/compute/build/src/v1/forwarding_rules_client';
import { RegionOperationsClient } from '@google-cloud/compute/build/src/v1/region_operations_client';
import { v2 } from '@google-cloud/run';
import { startEmulator, type Emulator } from './index';
import { clientOptions } from './test-clients';
import { declaredService, demoMesh } from './test-mesh';
import { PROJECT, REGION } from '../support/identity';

const project = PROJECT;
const region = REGION;
const at = { project, region };
const RULE_URL = `/compute/v1/projects/${project}/regions/${region}/forwardingRules/internal-lb-frontend`;
const SERVICE = `projects/${project}/locations/${region}/services/server-service`;

let emulator: Emulator;
let rules: ForwardingRulesClient;
let operations: RegionOperationsClient;
let run: v2.ServicesClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 20 });
  rules = new ForwardingRulesClient(clientOptions(emulator));
  operations = new RegionOperationsClient(clientOptions(emulator));
  run = new v2.ServicesClient({ fallback: true, ...clientOptions(emulator) });
});
afterAll(async () => {
  await Promise.all([rules.close(), operations.close(), run.close()]);
  await emulator.stop();
});
beforeEach(() => emulator.reset());

const statusOf = async (path: string, init?: RequestInit): Promise<number> => (await fetch(emulator.url + path, init)).status;

test("429 and 503 come with Google's error bodies; gax surfaces 429 as code 8", async () => {
  emulator.faults.set({ rate429: 1 });
  const limited = await fetch(emulator.url + RULE_URL);
  expect(limited.status).toBe(429);
  expect((await limited.json()).error.errors[0]).toMatchObject({ domain: 'global', reason: 'rateLimitExceeded' });
  await expect(rules.get({ ...at, forwardingRule: 'internal-lb-frontend' })).rejects.toMatchObject({ code: 8 });
  emulator.faults.set({ rate429: 0, rate503: 1 });
  const unavailable = await fetch(`${emulator.url}/v2/${SERVICE}`);
  expect(unavailable.status).toBe(503);
  expect((await unavailable.json()).error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
  expect(emulator.audit.entries).toEqual([]); // throttled calls never reach the service
});

test('fault draws are reproducible from a seed, and errorMethods limits them to some methods', async () => {
  const draw = async (): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await statusOf(RULE_URL));
    return statuses;
  };
  emulator.faults.set({ seed: 42, rate429: 0.3, rate503: 0.2 });
  const first = await draw();
  emulator.faults.set({ seed: 42 });
  expect(await draw()).toEqual(first);
  expect(new Set(first)).toEqual(new Set([200, 429, 503]));

  emulator.faults.set({ rate429: 1, rate503: 0, errorMethods: ['regionUrlMaps.get'] });
  expect(await statusOf(RULE_URL)).toBe(200);
  expect(await statusOf(`/compute/v1/projects/${project}/regions/${region}/urlMaps/internal-lb-url-map`)).toBe(429);
});

test('a failing operation ends DONE with an error, changes nothing, and its last audit entry is an ERROR', async () => {
  emulator.faults.set({ failNextOperations: 1 });
  const [deletion] = await rules.delete({ ...at, forwardingRule: 'internal-lb-frontend' });
  const [op] = await operations.wait({ ...at, operation: String(deletion.name) });
  expect(op.status).toBe('DONE');
  expect(op.error?.errors?.[0]?.code).toBe('INTERNAL_ERROR');
  expect(op.httpErrorStatusCode).toBe(500);
  expect((await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' }))[0].name).toBe('internal-lb-frontend');
  const last = emulator.audit.entries.find((e) => e.operation?.last);
  expect(last).toMatchObject({ severity: 'ERROR', protoPayload: { status: { code: 13 } } });
  // only the next one failed
  const [again] = await rules.delete({ ...at, forwardingRule: 'internal-lb-frontend' });
  expect((await operations.wait({ ...at, operation: String(again.name) }))[0].error).toBeFalsy();
});

test('a failing Cloud Run operation rejects the LRO and rolls the service back', async () => {
  emulator.faults.set({ failOperationRate: 1, failOperationMethods: ['UpdateService'] });
  const [before] = await run.getService({ name: SERVICE });
  const [operation] = await run.updateService({
    service: { name: SERVICE, ingress: 'INGRESS_TRAFFIC_ALL', etag: before.etag },
    updateMask: { paths: ['ingress'] },
  });
  await expect(operation.promise()).rejects.toMatchObject({ code: 13 });
  const [after] = await run.getService({ name: SERVICE });
  expect(after.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
  expect(after.etag).toBe(before.etag);
});

test('a forced race: the insert loses to a twin (409, code 10) and the resource exists afterwards', async () => {
  emulator.faults.set({ race409: { forwardingRules: 1 } });
  const resource = {
    name: 'twin-rule',
    IPAddress: '10.0.0.7',
    IPProtocol: 'TCP',
    portRange: '8080',
    target: `projects/${project}/regions/${region}/targetHttpProxies/internal-lb-target-proxy`,
  };
  await expect(rules.insert({ ...at, forwardingRuleResource: resource })).rejects.toMatchObject({
    code: 10,
    message: expect.stringContaining('already exists'),
  });
  expect((await rules.get({ ...at, forwardingRule: 'twin-rule' }))[0].IPAddress).toBe('10.0.0.7');
  expect(emulator.writes()).toBe(0);
  const [next] = await rules.insert({ ...at, forwardingRuleResource: { ...resource, name: 'next-rule' } });
  expect((await operations.wait({ ...at, operation: String(next.name) }))[0].error).toBeFalsy();

  emulator.faults.set({ race409: { neg: 1 } }); // the mesh's kind names work too
  const neg = { name: 'twin-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } };
  expect(
    (
      await fetch(`${emulator.url}/compute/v1/projects/${project}/regions/${region}/networkEndpointGroups`, {
        method: 'POST',
        body: JSON.stringify(neg),
      })
    ).status,
  ).toBe(409);

  emulator.faults.set({ race409: { services: 1 } });
  await expect(
    run.createService({ parent: `projects/${project}/locations/${region}`, serviceId: 'twin-service', service: {} }),
  ).rejects.toMatchObject({ code: 6 });
  expect((await run.getService({ name: `projects/${project}/locations/${region}/services/twin-service` }))[0].name).toBeTruthy();
});

test('permanent rejections: permission denied (7), quota (8) and the run.allowedIngress org policy (9), each audited', async () => {
  emulator.faults.set({
    reject: [
      { method: 'UpdateService', error: 'orgPolicy', times: 1 },
      { method: 'UpdateService', error: 'permissionDenied', times: 1 },
      { method: 'forwardingRules.setTarget', error: 'quota' },
    ],
  });
  const [service] = await run.getService({ name: SERVICE });
  const update = () =>
    run.updateService({
      service: { name: SERVICE, ingress: 'INGRESS_TRAFFIC_ALL', etag: service.etag },
      updateMask: { paths: ['ingress'] },
    });
  await expect(update()).rejects.toMatchObject({ code: 9, message: expect.stringContaining('constraints/run.allowedIngress') });
  await expect(update()).rejects.toMatchObject({ code: 7, message: expect.stringContaining('run.services.update') });
  const [operation] = await update();
  await operation.promise();
  await expect(
    rules.setTarget({
      ...at,
      forwardingRule: 'internal-lb-frontend',
      targetReferenceResource: { target: `projects/${project}/regions/${region}/targetHttpProxies/internal-lb-target-proxy` },
    }),
  ).rejects.toMatchObject({ code: 8 });
  const failures = emulator.audit.entries
    .filter((e) => e.severity === 'ERROR')
    .map((e) => [e.protoPayload.methodName, e.protoPayload.status.code]);
  expect(failures).toEqual([
    ['google.cloud.run.v2.Services.UpdateService', 9],
    ['google.cloud.run.v2.Services.UpdateService', 7],
    ['v1.compute.forwardingRules.setTarget', 8],
  ]);
  expect(emulator.audit.entries.find((e) => e.protoPayload.status?.code === 7)?.protoPayload.authorizationInfo[0].granted).toBe(false);
});

test('latency is added to every call', async () => {
  emulator.faults.set({ latencyMs: 150 });
  const started = Date.now();
  await statusOf(RULE_URL);
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});

test('request rates: per API totals and the most requests within any one second', async () => {
  await Promise.all(Array.from({ length: 12 }, () => statusOf(RULE_URL)));
  for (let i = 0; i < 3; i++) {
    await statusOf(`/v2/${SERVICE}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  const rates = emulator.rates();
  expect(rates.compute).toEqual({ total: 12, maxPerSecond: 12 });
  expect(rates.run.total).toBe(3);
  expect(rates.run.maxPerSecond).toBeLessThanOrEqual(3);
  expect(rates.run.maxPerSecond).toBeGreaterThanOrEqual(2);
});

describe('admin endpoints', () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emulator.url}/admin/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json() };
  };

  test('POST /admin/faults merges settings; bad values are refused with the reason', async () => {
    expect((await admin('POST', 'faults', { rate503: 0.25, operationDelayMs: 5 })).body).toMatchObject({
      rate503: 0.25,
      operationDelayMs: 5,
      rate429: 0,
    });
    expect((await admin('GET', 'faults')).body.rate503).toBe(0.25);
    const bad = await admin('POST', 'faults', { rate429: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('rate429 must be a number between 0 and 1');
    expect((await admin('POST', 'faults', { rate42: 1 })).body.error.message).toContain('unknown fault setting "rate42"');
  });

  test('GET /admin/audit, GET /admin/state and POST /admin/reset', async () => {
    await statusOf(RULE_URL, { method: 'DELETE' });
    expect((await admin('GET', 'audit')).body.entries[0].protoPayload.methodName).toBe('v1.compute.forwardingRules.delete');
    const state = (await admin('GET', 'state')).body;
    expect(state.writes).toBe(1);
    expect(Object.keys(state.run)).toEqual([SERVICE]);
    expect(state.rates.compute.total).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await admin('GET', 'state')).body.compute).not.toHaveProperty([RULE_URL.slice('/compute/v1/'.length)]);
    const reset = (await admin('POST', 'reset')).body;
    expect(reset.writes).toBe(0);
    expect(reset.compute).toHaveProperty([RULE_URL.slice('/compute/v1/'.length)]); // back to the seeded state
    expect((await admin('GET', 'audit')).body.entries).toEqual([]);
  });

  test('POST /admin/seed adds a declared mesh; unknown admin paths say what exists', async () => {
    const seeded = (await admin('POST', 'seed', demoMesh(declaredService('api-service', 'api-lb', '10.0.0.120')))).body;
    expect(seeded.run).toHaveProperty([`projects/${project}/locations/${region}/services/api-service`]);
    expect(seeded.compute).toHaveProperty([`projects/${project}/regions/${region}/forwardingRules/api-lb-frontend`]);
    expect((await admin('POST', 'seed', { nope: true })).body.error.message).toContain('services array');
    const unknown = await admin('GET', 'nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('/admin/faults');
  });
});
