// Lists over the wire: the adapter's list/listServices drive the real clients against the
// emulator's paged lists; the emulator counts requests per project, API and method, and refuses
// over-quota calls the way Google does (403 rateLimitExceeded / 429), which the adapter classifies
// as transient.
import { createGcpPort, SERVICE_LIST_FIELDS, type GcpPort } from '../../functions/gcp/adapter';
import { GcpError } from '../../functions/gcp/port';
import { startEmulator, totalCalls, type Emulator } from './index';
import { declaredService, demoMesh } from './test-mesh';
import { parseEnvironment } from '../../functions/config/environment';
import { RESOURCE_KINDS } from '../../functions/config/mesh';
import { refOf } from '../../functions/reconcile/desired';
import { PROJECT, REGION, SELF_PRINCIPAL as SELF } from '../support/identity';

const scope = { project: PROJECT, region: REGION };
/** 510 services: more than one page of 500 for every compute kind. */
const COUNT = 510;
const services = Array.from({ length: COUNT }, (_, i) => {
  const id = String(i).padStart(4, '0');
  return declaredService(`svc-${id}`, `svc-${id}-lb`, `10.${1 + (i >> 8)}.${i & 255}.100`);
});

let emulator: Emulator;
let port: GcpPort;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(...services), operationDelayMs: 0 });
  port = createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: SELF });
});
afterAll(async () => {
  await port.close();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

async function admin(path: string, body?: object): Promise<unknown> {
  const res = await fetch(`${emulator.url}${path}`, body ? { method: 'POST', body: JSON.stringify(body) } : {});
  return res.json();
}

describe('paged lists through the real clients', () => {
  it('lists every forwarding rule of the region in pages of 500, each exactly once', async () => {
    const rules = await port.list('forwardingRule', scope);
    const names = rules.map((r) => r.name);
    expect(new Set(names).size).toBe(COUNT);
    expect(names).toEqual(expect.arrayContaining(['svc-0000-lb-frontend', 'svc-0509-lb-frontend']));
    expect(rules.find((r) => r.name === 'svc-0007-lb-frontend')).toMatchObject({
      IPAddress: '10.1.7.100',
      selfLink: expect.stringContaining('/forwardingRules/svc-0007-lb-frontend'),
    });
    expect(emulator.requests()[PROJECT]?.compute?.['v1.compute.forwardingRules.list']).toEqual({ calls: 2, refused: 0 });
  });

  it('asks for only the fields the port reads (a partial response), and reads what a full GET reads', async () => {
    const svc = services[7]!;
    for (const kind of RESOURCE_KINDS) {
      const ref = refOf(svc, kind);
      const listed = (await port.list(kind, scope, [ref.name]))[0];
      expect({ kind, listed }).toEqual({ kind, listed: await port.get(kind, ref) });
    }
    // The same mask as the `fields` parameter: only the selected fields come back.
    const base = '/compute/v1/projects/demo-project/regions/asia-northeast1/forwardingRules';
    const page = (await admin(`${base}?maxResults=1&fields=${encodeURIComponent('items(name,IPAddress),nextPageToken')}`)) as Record<
      string,
      unknown
    >;
    expect(Object.keys(page).sort()).toEqual(['items', 'nextPageToken']);
    expect(page.items).toEqual([{ name: 'svc-0000-lb-frontend', IPAddress: '10.1.0.100' }]);
  });

  it('refuses a field selection it cannot read, as Google does (400)', async () => {
    const res = await fetch(`${emulator.url}/compute/v1/projects/demo-project/regions/asia-northeast1/forwardingRules?fields=items(name`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('Invalid field selection items(name');
  });

  it('lists Cloud Run services per location across pages', async () => {
    const listed = await port.listServices(scope);
    expect(listed).toHaveLength(COUNT);
    expect(listed.find((s) => s.name.endsWith('/svc-0003'))).toMatchObject({ ingress: 'internal', etag: expect.any(String) });
    expect(totalCalls(emulator.requests(), { api: 'run', method: /ListServices$/ })).toBe(2);
  });

  it('asks Cloud Run for only the service fields the port reads, and a listed service reads as a full GET', async () => {
    const base = '/v2/projects/demo-project/locations/asia-northeast1/services';
    // Every field the port reads set on one service: annotations, VPC access (a new revision).
    const changed = await fetch(`${emulator.url}${base}/svc-0007?updateMask=annotations,template.vpcAccess`, {
      method: 'PATCH',
      body: JSON.stringify({
        annotations: { 'run.googleapis.com/launch-stage': 'GA' },
        template: { vpcAccess: { egress: 'ALL_TRAFFIC', networkInterfaces: [{ network: 'test-vpc', subnetwork: 'test-subnet' }] } },
      }),
    });
    expect(changed.status).toBe(200);
    const ref = { ...scope, service: 'svc-0007' };
    const full = await port.getService(ref);
    expect(full).toMatchObject({ annotations: { 'run.googleapis.com/launch-stage': 'GA' }, vpcAccess: { egress: 'all-traffic' } });
    expect(full?.latestCreatedRevision).toMatch(/svc-0007-00002-/);
    expect((await port.listServices(scope)).find((s) => s.name === full?.name)).toEqual(full);
    // The same mask as the `fields` parameter: only the selected fields come back.
    const page = (await admin(`${base}?pageSize=1&fields=${encodeURIComponent(SERVICE_LIST_FIELDS)}`)) as {
      services: Array<Record<string, unknown>>;
      nextPageToken: string;
    };
    expect(Object.keys(page).sort()).toEqual(['nextPageToken', 'services']);
    expect(Object.keys(page.services[0]!).sort()).toEqual(['annotations', 'etag', 'ingress', 'latestCreatedRevision', 'name', 'template']);
    expect(page.services[0]!.template).toEqual({});
  });

  it('refuses a malformed field selection on Cloud Run with its 400 INVALID_ARGUMENT', async () => {
    const res = await fetch(`${emulator.url}/v2/projects/demo-project/locations/asia-northeast1/services`, {
      headers: { 'X-Goog-FieldMask': 'services(name' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 400, message: 'Invalid field selection services(name', status: 'INVALID_ARGUMENT' },
    });
  });

  it('serves a name filter: only the named resources, in one call', async () => {
    const found = await port.list('backendService', scope, ['svc-0001-lb-backend-svc', 'svc-0500-lb-backend-svc', 'no-such-backend']);
    expect(found.map((r) => r.name).sort()).toEqual(['svc-0001-lb-backend-svc', 'svc-0500-lb-backend-svc']);
    expect(totalCalls(emulator.requests(), { method: /regionBackendServices\.list$/ })).toBe(1);
  });

  it("serves Compute's regular-expression filter forms: the expression must match the whole name", async () => {
    const base = '/compute/v1/projects/demo-project/regions/asia-northeast1/forwardingRules';
    const names = async (filter: string) =>
      (((await admin(`${base}?filter=${encodeURIComponent(filter)}`)) as { items?: Array<{ name: string }> }).items ?? []).map(
        (r) => r.name,
      );
    const both = ['svc-0001-lb-frontend', 'svc-0002-lb-frontend'];
    expect(await names('name eq "svc-0001-lb-frontend|svc-0002-lb-frontend"')).toEqual(both);
    expect(await names('name eq "(svc-0001-lb-frontend|svc-0002-lb-frontend)"')).toEqual(both);
    expect(await names("name eq 'svc-000[12]-lb-frontend'")).toEqual(both);
    expect(await names('(name eq svc-000[12]-lb-frontend)')).toEqual(both);
    // A part of a name is not a match: `eq` is a full match, not a search.
    expect(await names('name eq "svc-0001"')).toEqual([]);
    expect(await names('name eq "svc-0001-lb-frontend|svc-0002"')).toEqual(['svc-0001-lb-frontend']);
    expect(await names('name ne "svc-0[0-4].*"')).toHaveLength(10);
  });

  it('pages in name order; the page token carries on after the last name served', async () => {
    const first = (await admin('/compute/v1/projects/demo-project/regions/asia-northeast1/addresses?maxResults=2')) as {
      items: Array<{ name: string }>;
      nextPageToken: string;
    };
    expect(first.items.map((a) => a.name)).toEqual(['svc-0000-lb-ip', 'svc-0001-lb-ip']);
    const second = (await admin(
      `/compute/v1/projects/demo-project/regions/asia-northeast1/addresses?maxResults=2&pageToken=${first.nextPageToken}`,
    )) as { items: Array<{ name: string }> };
    expect(second.items.map((a) => a.name)).toEqual(['svc-0002-lb-ip', 'svc-0003-lb-ip']);
  });

  it('refuses what Compute refuses: maxResults over 500, an unknown page token, a filter form it does not serve', async () => {
    const base = '/compute/v1/projects/demo-project/regions/asia-northeast1/urlMaps';
    const filters = ['creationTimestamp > "2020"', '(name eq "a"', 'name eq "a" OR name eq "b"'];
    for (const query of ['maxResults=501', 'pageToken=bogus', ...filters.map((f) => 'filter=' + encodeURIComponent(f))]) {
      const res = await fetch(`${emulator.url}${base}?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
  });
});

describe('per-project quotas', () => {
  it('refuses reads over the per-minute quota with 403 rateLimitExceeded, counts the refusal, and the adapter calls it transient', async () => {
    await admin('/admin/quotas', { compute: { read: 2 } });
    const ref = { ...scope, name: 'svc-0000-lb-frontend' };
    await port.get('forwardingRule', ref);
    await port.get('forwardingRule', ref);
    const refused = await port.get('forwardingRule', ref).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(GcpError);
    expect(refused).toMatchObject({ errorClass: 'transient', httpStatus: 403, reason: 'rateLimitExceeded' });
    // Lists are their own quota group: still served.
    await expect(port.list('forwardingRule', scope, ['svc-0000-lb-frontend'])).resolves.toHaveLength(1);
    expect(emulator.requests()[PROJECT]?.compute?.['v1.compute.forwardingRules.get']).toEqual({ calls: 3, refused: 1 });
    // Another project has its own quota.
    await expect(port.get('forwardingRule', { project: 'other-project', region: scope.region, name: 'x' })).resolves.toBeNull();
  });

  it('refills at the next window boundary', async () => {
    emulator.quotas.set({ compute: { read: 1 }, windowMs: 300 });
    const ref = { ...scope, name: 'svc-0000-lb-ip' };
    // Start just after a boundary so both calls below fall in one window.
    await new Promise((resolve) => setTimeout(resolve, 300 - (Date.now() % 300) + 5));
    await port.get('address', ref);
    await expect(port.get('address', ref)).rejects.toMatchObject({ httpStatus: 403 });
    await new Promise((resolve) => setTimeout(resolve, 300 - (Date.now() % 300) + 5));
    await expect(port.get('address', ref)).resolves.toMatchObject({ name: 'svc-0000-lb-ip' });
  });

  it('refuses Cloud Run calls over quota with 429 RESOURCE_EXHAUSTED, per project and region', async () => {
    emulator.quotas.set({ run: { read: 1 } });
    await port.getService({ ...scope, service: 'svc-0000' });
    await expect(port.getService({ ...scope, service: 'svc-0000' })).rejects.toMatchObject({ errorClass: 'transient', httpStatus: 429 });
    await expect(port.getService({ ...scope, region: 'europe-west1', service: 'svc-0000' })).resolves.toBeNull();
    const res = await fetch(`${emulator.url}/v2/projects/demo-project/locations/asia-northeast1/services/svc-0000`);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('Quota exceeded') },
    });
  });

  it('refuses settings it cannot honour', async () => {
    const res = await fetch(`${emulator.url}/admin/quotas`, { method: 'POST', body: JSON.stringify({ compute: { read: -1 } }) });
    expect(res.status).toBe(400);
  });
});
