// Contract tests of the Compute regional surface through the real @google-cloud/compute clients:
// every route, referential rules, fingerprints, requestId idempotency, operations and the error
// codes gax surfaces (HTTP mapped: 400→3, 404→5, 409→10, 412→9).
// Each client from its own module, as functions/gcp/clients.ts loads them: the package barrel loads
// every client of three API versions and the 31 MB generated protos.js, seconds of CPU per suite.
import { AddressesClient } from '@google-cloud/compute/build/src/v1/addresses_client';
import { ForwardingRulesClient } from '@google-cloud/compute/build/src/v1/forwarding_rules_client';
import { RegionBackendServicesClient } from '@google-cloud/compute/build/src/v1/region_backend_services_client';
import { RegionNetworkEndpointGroupsClient } from '@google-cloud/compute/build/src/v1/region_network_endpoint_groups_client';
import { RegionOperationsClient } from '@google-cloud/compute/build/src/v1/region_operations_client';
import { RegionTargetHttpProxiesClient } from '@google-cloud/compute/build/src/v1/region_target_http_proxies_client';
import { RegionUrlMapsClient } from '@google-cloud/compute/build/src/v1/region_url_maps_client';
import { startEmulator, type Emulator } from './index';
import { clientOptions } from './test-clients';
import { demoMesh } from './test-mesh';
import { PROJECT, REGION } from '../support/identity';

const project = PROJECT;
const region = REGION;
const BASE = `https://www.googleapis.com/compute/v1/projects/${project}/regions/${region}`;
const at = { project, region };

let emulator: Emulator;
let addresses: AddressesClient;
let rules: ForwardingRulesClient;
let proxies: RegionTargetHttpProxiesClient;
let urlMaps: RegionUrlMapsClient;
let backends: RegionBackendServicesClient;
let negs: RegionNetworkEndpointGroupsClient;
let operations: RegionOperationsClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(), operationDelayMs: 40 });
  const options = clientOptions(emulator);
  addresses = new AddressesClient(options);
  rules = new ForwardingRulesClient(options);
  proxies = new RegionTargetHttpProxiesClient(options);
  urlMaps = new RegionUrlMapsClient(options);
  backends = new RegionBackendServicesClient(options);
  negs = new RegionNetworkEndpointGroupsClient(options);
  operations = new RegionOperationsClient(options);
});
afterAll(async () => {
  await Promise.all([addresses, rules, proxies, urlMaps, backends, negs, operations].map((c) => c.close()));
  await emulator.stop();
});
beforeEach(() => emulator.reset());

/** What the adapter does: loop RegionOperationsClient.wait until DONE. */
async function done(operation: { name?: string | null }) {
  for (;;) {
    const [op] = await operations.wait({ ...at, operation: String(operation.name) });
    if (op.status === 'DONE') return op;
  }
}

test('the seeded chain reads back exactly as declared, with full-URL references', async () => {
  const [address] = await addresses.get({ ...at, address: 'internal-lb-ip' });
  expect(address).toMatchObject({ address: '10.0.0.100', addressType: 'INTERNAL', purpose: 'SHARED_LOADBALANCER_VIP', status: 'IN_USE' });
  expect(address.users).toEqual([`${BASE}/forwardingRules/internal-lb-frontend`]);
  const [neg] = await negs.get({ ...at, networkEndpointGroup: 'internal-lb-neg' });
  expect(neg).toMatchObject({ networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } });
  const [backend] = await backends.get({ ...at, backendService: 'internal-lb-backend-svc' });
  expect(backend).toMatchObject({
    protocol: 'HTTP',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    backends: [{ group: `${BASE}/networkEndpointGroups/internal-lb-neg`, balancingMode: 'UTILIZATION', capacityScaler: 1 }],
    logConfig: { enable: true, sampleRate: 1 },
    localityLbPolicy: 'ROUND_ROBIN',
    sessionAffinity: 'NONE',
    timeoutSec: 30,
    selfLink: `${BASE}/backendServices/internal-lb-backend-svc`,
  });
  expect(backend.fingerprint).toBeTruthy();
  const [urlMap] = await urlMaps.get({ ...at, urlMap: 'internal-lb-url-map' });
  expect(urlMap.defaultService).toBe(`${BASE}/backendServices/internal-lb-backend-svc`);
  const [proxy] = await proxies.get({ ...at, targetHttpProxy: 'internal-lb-target-proxy' });
  expect(proxy.urlMap).toBe(`${BASE}/urlMaps/internal-lb-url-map`);
  const [rule] = await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' });
  expect(rule).toMatchObject({
    IPAddress: '10.0.0.100',
    IPProtocol: 'TCP',
    portRange: '80-80', // Compute answers a single port as a range
    loadBalancingScheme: 'INTERNAL_MANAGED',
    network: `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/test-vpc`,
    subnetwork: `${BASE}/subnetworks/test-subnet`,
    target: `${BASE}/targetHttpProxies/internal-lb-target-proxy`,
  });
  expect(rule.id).toMatch(/^\d{19}$/);
  expect(rule.creationTimestamp).toMatch(/-08:00$/);
});

test("list returns the region's resources", async () => {
  const [all] = await rules.list(at);
  expect(all.map((r) => r.name)).toEqual(['internal-lb-frontend']);
  for (const [client, field] of [
    [addresses, 'internal-lb-ip'],
    [negs, 'internal-lb-neg'],
    [backends, 'internal-lb-backend-svc'],
    [urlMaps, 'internal-lb-url-map'],
    [proxies, 'internal-lb-target-proxy'],
  ] as const) {
    const [items] = await (client as AddressesClient).list(at);
    expect(items.map((r) => r.name)).toEqual([field]);
  }
});

test("a missing resource is 404 notFound with Google's error body (gax code 5)", async () => {
  await expect(rules.get({ ...at, forwardingRule: 'ghost' })).rejects.toMatchObject({ code: 5 });
  const res = await fetch(`${emulator.url}/compute/v1/projects/${project}/regions/${region}/forwardingRules/ghost`);
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({
    error: {
      code: 404,
      message: `The resource 'projects/${project}/regions/${region}/forwardingRules/ghost' was not found`,
      errors: [
        {
          message: `The resource 'projects/${project}/regions/${region}/forwardingRules/ghost' was not found`,
          domain: 'global',
          reason: 'notFound',
        },
      ],
    },
  });
});

test('delete then insert through an operation; the change lands when the operation completes', async () => {
  emulator.faults.set({ operationDelayMs: 300 });
  const [deletion] = await rules.delete({
    ...at,
    forwardingRule: 'internal-lb-frontend',
    requestId: 'c8c2f5f2-0000-4000-8000-000000000001',
  });
  const started = deletion.latestResponse as { status?: string; operationType?: string; targetLink?: string };
  expect(started).toMatchObject({ status: 'RUNNING', operationType: 'delete', targetLink: `${BASE}/forwardingRules/internal-lb-frontend` });
  expect((await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' }))[0].name).toBe('internal-lb-frontend'); // not yet
  const finished = await done(deletion);
  expect(finished.progress).toBe(100);
  expect(finished.endTime).toBeTruthy();
  await expect(rules.get({ ...at, forwardingRule: 'internal-lb-frontend' })).rejects.toMatchObject({ code: 5 });

  const [insert] = await rules.insert({
    ...at,
    requestId: 'c8c2f5f2-0000-4000-8000-000000000002',
    forwardingRuleResource: {
      name: 'internal-lb-frontend',
      IPAddress: `projects/${project}/regions/${region}/addresses/internal-lb-ip`, // an address URL is stored as its IP
      IPProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: `projects/${project}/global/networks/test-vpc`,
      subnetwork: `projects/${project}/regions/${region}/subnetworks/test-subnet`,
      target: `projects/${project}/regions/${region}/targetHttpProxies/internal-lb-target-proxy`,
    },
  });
  await done(insert);
  const [rule] = await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' });
  expect(rule.IPAddress).toBe('10.0.0.100');
  expect(rule.target).toBe(`${BASE}/targetHttpProxies/internal-lb-target-proxy`);
  expect(emulator.writes()).toBe(2);
});

test('a retried insert with the same requestId returns the same operation and writes once', async () => {
  const neg = { name: 'spare-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } };
  const [first] = await negs.insert({ ...at, requestId: 'd1d1d1d1-0000-4000-8000-000000000001', networkEndpointGroupResource: neg });
  const [again] = await negs.insert({ ...at, requestId: 'd1d1d1d1-0000-4000-8000-000000000001', networkEndpointGroupResource: neg });
  expect((again.latestResponse as { name: string }).name).toBe((first.latestResponse as { name: string }).name);
  await done(first);
  const [replayed] = await negs.insert({ ...at, requestId: 'd1d1d1d1-0000-4000-8000-000000000001', networkEndpointGroupResource: neg });
  expect((replayed.latestResponse as unknown as { status: string }).status).toBe('DONE');
  expect(emulator.writes()).toBe(1);
  // without the requestId the same insert is a conflict: 409 alreadyExists, surfaced as code 10
  await expect(negs.insert({ ...at, networkEndpointGroupResource: neg })).rejects.toMatchObject({ code: 10 });
});

test('a requestId that is not a UUID is refused (400, code 3)', async () => {
  await expect(rules.delete({ ...at, forwardingRule: 'internal-lb-frontend', requestId: 'retry-1' })).rejects.toMatchObject({
    code: 3,
    message: expect.stringContaining('must be a valid UUID'),
  });
});

test('aggregated list groups resources by region (as gcloud list without --regions asks)', async () => {
  const body = await (await fetch(`${emulator.url}/compute/v1/projects/${project}/aggregated/forwardingRules`)).json();
  expect(body.kind).toBe('compute#forwardingRuleAggregatedList');
  expect(body.items[`regions/${region}`].forwardingRules.map((r: { name: string }) => r.name)).toEqual(['internal-lb-frontend']);
});

test('an insert while another insert of the same name is running is 409', async () => {
  const neg = { name: 'racing-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } };
  await negs.insert({ ...at, networkEndpointGroupResource: neg });
  await expect(negs.insert({ ...at, networkEndpointGroupResource: neg })).rejects.toMatchObject({ code: 10 });
});

test('a reference to a missing resource is 404 notFound naming it (gax code 5), and writes nothing', async () => {
  const missing = `projects/${project}/regions/${region}/networkEndpointGroups/ghost-neg`;
  await expect(
    backends.insert({
      ...at,
      backendServiceResource: { name: 'b2', loadBalancingScheme: 'INTERNAL_MANAGED', protocol: 'HTTP', backends: [{ group: missing }] },
    }),
  ).rejects.toMatchObject({ code: 5, message: expect.stringContaining(`The resource '${missing}' was not found`) });
  await expect(
    urlMaps.insert({ ...at, urlMapResource: { name: 'm2', defaultService: `${BASE}/backendServices/ghost` } }),
  ).rejects.toMatchObject({ code: 5 });
  await expect(proxies.insert({ ...at, targetHttpProxyResource: { name: 'p2', urlMap: `${BASE}/urlMaps/ghost` } })).rejects.toMatchObject({
    code: 5,
  });
  await expect(
    rules.insert({ ...at, forwardingRuleResource: { name: 'f2', target: `${BASE}/targetHttpProxies/ghost` } }),
  ).rejects.toMatchObject({ code: 5 });
  await expect(rules.insert({ ...at, forwardingRuleResource: { name: 'f3', IPAddress: `${BASE}/addresses/ghost` } })).rejects.toMatchObject(
    {
      code: 5,
      message: expect.stringContaining(`The resource 'projects/${project}/regions/${region}/addresses/ghost' was not found`),
    },
  );
  await expect(
    addresses.insert({ ...at, addressResource: { name: 'a2', addressType: 'INTERNAL', subnetwork: `${BASE}/subnetworks/ghost` } }),
  ).rejects.toMatchObject({ code: 5 });
  await expect(
    proxies.setUrlMap({ ...at, targetHttpProxy: 'internal-lb-target-proxy', urlMapReferenceResource: { urlMap: `${BASE}/urlMaps/ghost` } }),
  ).rejects.toMatchObject({ code: 5 });
  expect(emulator.writes()).toBe(0);
});

test('an INTERNAL_MANAGED forwarding rule needs a proxy-only subnet in its region', async () => {
  const res = await fetch(`${emulator.url}/compute/v1/projects/${project}/regions/europe-west1/forwardingRules`, {
    method: 'POST',
    body: JSON.stringify({ name: 'far-rule', loadBalancingScheme: 'INTERNAL_MANAGED', IPProtocol: 'TCP', portRange: '80' }),
  });
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.error.errors[0].reason).toBe('invalid');
  expect(body.error.message).toContain('proxy-only subnetwork is required');
});

test('deleting a resource still referenced is 400 resourceInUseByAnotherResource', async () => {
  for (const attempt of [
    () => negs.delete({ ...at, networkEndpointGroup: 'internal-lb-neg' }),
    () => backends.delete({ ...at, backendService: 'internal-lb-backend-svc' }),
    () => urlMaps.delete({ ...at, urlMap: 'internal-lb-url-map' }),
    () => proxies.delete({ ...at, targetHttpProxy: 'internal-lb-target-proxy' }),
    () => addresses.delete({ ...at, address: 'internal-lb-ip' }),
  ]) {
    await expect(attempt()).rejects.toMatchObject({ code: 3, message: expect.stringContaining('is already being used by') });
  }
  const res = await fetch(`${emulator.url}/compute/v1/projects/${project}/regions/${region}/networkEndpointGroups/internal-lb-neg`, {
    method: 'DELETE',
  });
  expect((await res.json()).error.errors[0].reason).toBe('resourceInUseByAnotherResource');
  expect(emulator.writes()).toBe(0);
});

test('backend service patch and update need the current fingerprint (else 412, code 9); it changes on each write', async () => {
  const [before] = await backends.get({ ...at, backendService: 'internal-lb-backend-svc' });
  await expect(
    backends.patch({ ...at, backendService: 'internal-lb-backend-svc', backendServiceResource: { sessionAffinity: 'CLIENT_IP' } }),
  ).rejects.toMatchObject({ code: 9 });
  await expect(
    backends.patch({
      ...at,
      backendService: 'internal-lb-backend-svc',
      backendServiceResource: { sessionAffinity: 'CLIENT_IP', fingerprint: 'c3RhbGU=' },
    }),
  ).rejects.toMatchObject({ code: 9 });
  const [patch] = await backends.patch({
    ...at,
    backendService: 'internal-lb-backend-svc',
    backendServiceResource: { sessionAffinity: 'CLIENT_IP', fingerprint: before.fingerprint },
  });
  await done(patch);
  const [patched] = await backends.get({ ...at, backendService: 'internal-lb-backend-svc' });
  expect(patched.sessionAffinity).toBe('CLIENT_IP');
  expect(patched.backends).toEqual(before.backends);
  expect(patched.fingerprint).not.toBe(before.fingerprint);
  // update replaces the whole resource
  const [update] = await backends.update({
    ...at,
    backendService: 'internal-lb-backend-svc',
    backendServiceResource: {
      name: 'internal-lb-backend-svc',
      protocol: 'HTTP',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [],
      fingerprint: patched.fingerprint,
    },
  });
  await done(update);
  const [updated] = await backends.get({ ...at, backendService: 'internal-lb-backend-svc' });
  expect(updated.backends).toEqual([]);
  expect(updated.timeoutSec).toBe(30); // left out of an update: back to Compute's default
  expect(updated.id).toBe(before.id);
  // the NEG is no longer used by anyone: it can go now
  await done((await negs.delete({ ...at, networkEndpointGroup: 'internal-lb-neg' }))[0]);
});

test('URL map patch and update need the fingerprint; setUrlMap and setTarget need none', async () => {
  const [map] = await urlMaps.get({ ...at, urlMap: 'internal-lb-url-map' });
  await expect(
    urlMaps.update({
      ...at,
      urlMap: 'internal-lb-url-map',
      urlMapResource: { name: 'internal-lb-url-map', defaultService: map.defaultService },
    }),
  ).rejects.toMatchObject({ code: 9 });
  await done(
    (
      await urlMaps.patch({
        ...at,
        urlMap: 'internal-lb-url-map',
        urlMapResource: { description: 'patched', fingerprint: map.fingerprint },
      })
    )[0],
  );
  const [patched] = await urlMaps.get({ ...at, urlMap: 'internal-lb-url-map' });
  expect(patched.description).toBe('patched');
  await done(
    (
      await urlMaps.update({
        ...at,
        urlMap: 'internal-lb-url-map',
        urlMapResource: { name: 'internal-lb-url-map', defaultService: map.defaultService, fingerprint: patched.fingerprint },
      })
    )[0],
  );
  expect((await urlMaps.get({ ...at, urlMap: 'internal-lb-url-map' }))[0].description).toBeFalsy();

  await done((await urlMaps.insert({ ...at, urlMapResource: { name: 'second-map', defaultService: map.defaultService } }))[0]);
  const [proxyBefore] = await proxies.get({ ...at, targetHttpProxy: 'internal-lb-target-proxy' });
  await done(
    (
      await proxies.setUrlMap({
        ...at,
        targetHttpProxy: 'internal-lb-target-proxy',
        urlMapReferenceResource: { urlMap: `projects/${project}/regions/${region}/urlMaps/second-map` },
      })
    )[0],
  );
  const [proxy] = await proxies.get({ ...at, targetHttpProxy: 'internal-lb-target-proxy' });
  expect(proxy.urlMap).toBe(`${BASE}/urlMaps/second-map`);
  expect(proxy.fingerprint).not.toBe(proxyBefore.fingerprint);

  await done(
    (await proxies.insert({ ...at, targetHttpProxyResource: { name: 'second-proxy', urlMap: `${BASE}/urlMaps/internal-lb-url-map` } }))[0],
  );
  await done(
    (
      await rules.setTarget({
        ...at,
        forwardingRule: 'internal-lb-frontend',
        targetReferenceResource: { target: `${BASE}/targetHttpProxies/second-proxy` },
      })
    )[0],
  );
  expect((await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' }))[0].target).toBe(`${BASE}/targetHttpProxies/second-proxy`);
});

test('setLabels needs the current labelFingerprint', async () => {
  const [rule] = await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' });
  expect(rule.labelFingerprint).toBe('42WmSpB8rSM=');
  await expect(
    rules.setLabels({
      ...at,
      resource: 'internal-lb-frontend',
      regionSetLabelsRequestResource: { labels: { a: 'b' }, labelFingerprint: 'c3RhbGU=' },
    }),
  ).rejects.toMatchObject({ code: 9 });
  await done(
    (
      await rules.setLabels({
        ...at,
        resource: 'internal-lb-frontend',
        regionSetLabelsRequestResource: { labels: { a: 'b' }, labelFingerprint: rule.labelFingerprint },
      })
    )[0],
  );
  const [labelled] = await rules.get({ ...at, forwardingRule: 'internal-lb-frontend' });
  expect(labelled.labels).toEqual({ a: 'b' });
  expect(labelled.labelFingerprint).not.toBe(rule.labelFingerprint);
  const [address] = await addresses.get({ ...at, address: 'internal-lb-ip' });
  await done(
    (
      await addresses.setLabels({
        ...at,
        resource: 'internal-lb-ip',
        regionSetLabelsRequestResource: { labels: { team: 'mesh' }, labelFingerprint: address.labelFingerprint },
      })
    )[0],
  );
  expect((await addresses.get({ ...at, address: 'internal-lb-ip' }))[0].labels).toEqual({ team: 'mesh' });
});

test('region operations: get and wait by name or by the id the client calls its name', async () => {
  emulator.faults.set({ operationDelayMs: 250 });
  const [deletion] = await rules.delete({ ...at, forwardingRule: 'internal-lb-frontend' });
  const opName = (deletion.latestResponse as { name: string }).name;
  expect(opName).toMatch(/^operation-\d+-[0-9a-f]{13}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  const [running] = await operations.get({ ...at, operation: opName });
  expect(running).toMatchObject({ status: 'RUNNING', user: 'robot@demo-project.iam.gserviceaccount.com', operationType: 'delete' });
  const started = Date.now();
  const [finished] = await operations.wait({ ...at, operation: String(deletion.name) });
  expect(finished.status).toBe('DONE');
  expect(Date.now() - started).toBeGreaterThan(100);
  await expect(operations.get({ ...at, operation: 'operation-ghost' })).rejects.toMatchObject({ code: 5 });
});

test('beta paths serve the same resources and write beta audit methods', async () => {
  const res = await fetch(`${emulator.url}/compute/beta/projects/${project}/regions/${region}/urlMaps/internal-lb-url-map`);
  expect((await res.json()).selfLink).toBe(`${BASE}/urlMaps/internal-lb-url-map`);
  const del = await fetch(`${emulator.url}/compute/beta/projects/${project}/regions/${region}/forwardingRules/internal-lb-frontend`, {
    method: 'DELETE',
  });
  expect((await del.json()).status).toBe('RUNNING');
  expect(emulator.audit.entries[0]?.protoPayload.methodName).toBe('beta.compute.forwardingRules.delete');
});

test('networks and subnetworks (with the proxy-only subnet) are readable', async () => {
  const net = await (await fetch(`${emulator.url}/compute/v1/projects/${project}/global/networks/test-vpc`)).json();
  expect(net.kind).toBe('compute#network');
  const subnets = await (await fetch(`${emulator.url}/compute/v1/projects/${project}/regions/${region}/subnetworks`)).json();
  expect(subnets.items.map((s: { name: string; purpose: string }) => [s.name, s.purpose])).toEqual([
    ['test-subnet', 'PRIVATE'],
    ['test-vpc-proxy-only', 'REGIONAL_MANAGED_PROXY'],
  ]);
});

test("a backend service with a serverless NEG refuses a timeout, health checks, maxUtilization and RATE with Google's messages", async () => {
  const [current] = await backends.get({ ...at, backendService: 'internal-lb-backend-svc' });
  const patch = (fields: object) =>
    backends.patch({
      ...at,
      backendService: 'internal-lb-backend-svc',
      backendServiceResource: { ...fields, fingerprint: current.fingerprint },
    });
  const neg = `${BASE}/networkEndpointGroups/internal-lb-neg`;
  await expect(patch({ timeoutSec: 120 })).rejects.toMatchObject({
    code: 3,
    message: expect.stringContaining(
      "Invalid value for field 'resource.timeoutSec': '120'. Timeout sec is not supported for a backend service with Serverless network endpoint groups.",
    ),
  });
  await expect(patch({ healthChecks: [`${BASE}/healthChecks/hc`] })).rejects.toMatchObject({
    message: expect.stringContaining('A backend service cannot have a healthcheck with Serverless network endpoint group backends.'),
  });
  await expect(patch({ backends: [{ group: neg, balancingMode: 'UTILIZATION', maxUtilization: 1 }] })).rejects.toMatchObject({
    message: expect.stringContaining(
      "Invalid value for field 'resource.backends[0].maxUtilization': '1.0'. Max utilization is not supported for Serverless network endpoint groups.",
    ),
  });
  await expect(patch({ backends: [{ group: neg, balancingMode: 'RATE' }] })).rejects.toMatchObject({
    message: expect.stringContaining('Balancing mode is not supported for Serverless network endpoint groups.'),
  });
  // The fixed 30 s sent back by a full update is accepted; so is a timeout on a backend with no serverless NEG.
  await done((await patch({ timeoutSec: 30, sessionAffinity: 'CLIENT_IP' }))[0]);
  const [insert] = await backends.insert({
    ...at,
    backendServiceResource: { name: 'vm-backend', protocol: 'HTTP', loadBalancingScheme: 'INTERNAL_MANAGED', timeoutSec: 120 },
  });
  await done(insert);
  expect((await backends.get({ ...at, backendService: 'vm-backend' }))[0].timeoutSec).toBe(120);
  expect(emulator.mutations.map((m) => m.methodName)).toEqual([
    'v1.compute.regionBackendServices.patch',
    'v1.compute.regionBackendServices.insert',
  ]);
});
