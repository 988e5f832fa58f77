// The adapter over the wire: createGcpPort drives the real @google-cloud/run and
// @google-cloud/compute clients against the project's emulator (test/emulator), in emulator mode
// (plain HTTP, fake credentials carrying the function's principal).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_BACKEND,
  DEFAULT_POLICY,
  NAME_SUFFIX,
  RESOURCE_KINDS,
  type DeclaredService,
  type Mesh,
  type ResourceKind,
} from '../../functions/config/mesh';
import { createGcpPort, newRequestId, type GcpPort } from '../../functions/gcp/adapter';
import { PERMISSIONS_BY_CALL } from '../../functions/gcp/permissions';
import { GcpError, type ResourceOf, type ResourceRef, type ServiceRef } from '../../functions/gcp/port';
import { regionalPath, regionalUrl, sameRef, toUrl } from '../../functions/gcp/refs';
import { startEmulator, type Emulator } from '../emulator';
import { SELF_PRINCIPAL as SELF } from '../support/identity';
import { evalArgs } from '../support/function-code';
import { parseEnvironment } from '../../functions/config/environment';
import { PROJECT, REGION } from '../support/identity';

const project = PROJECT;
const region = REGION;
const network = `projects/${project}/global/networks/test-vpc`;
const subnetwork = `projects/${project}/regions/${region}/subnetworks/test-subnet`;

function declared(service: string, prefix: string, ipAddress: string): DeclaredService {
  const names = Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, `${prefix}-${NAME_SUFFIX[kind]}`])) as Record<ResourceKind, string>;
  return {
    key: `${project}/${region}/${service}`,
    project,
    region,
    service,
    ingress: 'internal',
    loadBalancer: { namePrefix: prefix, network, subnetwork, ipAddress, port: 80, backend: DEFAULT_BACKEND, names },
    clients: [],
  };
}

const server = declared('server-service', 'internal-lb', '10.0.0.100');
const mesh: Mesh = { services: [server], policy: DEFAULT_POLICY };
const serviceRef: ServiceRef = { project, region, service: 'server-service' };
const ref = (name: string): ResourceRef => ({ project, region, name });
const seeded = (kind: ResourceKind): ResourceRef => ref(server.loadBalancer.names[kind]);

/** A whole chain under `prefix`, in REST field names, as the reconciler would insert it. */
function chain(prefix: string, ip: string, service = 'server-service'): { [K in ResourceKind]: ResourceOf[K] } {
  const name = (kind: ResourceKind) => `${prefix}-${NAME_SUFFIX[kind]}`;
  return {
    address: {
      name: name('address'),
      addressType: 'INTERNAL',
      address: ip,
      subnetwork: toUrl(subnetwork),
      purpose: 'SHARED_LOADBALANCER_VIP',
    },
    neg: { name: name('neg'), networkEndpointType: 'SERVERLESS', cloudRun: { service } },
    backendService: {
      name: name('backendService'),
      protocol: 'HTTP',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [{ group: regionalUrl('neg', ref(name('neg'))), balancingMode: 'UTILIZATION', capacityScaler: 1 }],
      logConfig: { enable: true, sampleRate: 1 },
      localityLbPolicy: 'ROUND_ROBIN',
      sessionAffinity: 'NONE',
      timeoutSec: 30,
    },
    urlMap: { name: name('urlMap'), defaultService: regionalUrl('backendService', ref(name('backendService'))) },
    targetProxy: { name: name('targetProxy'), urlMap: regionalUrl('urlMap', ref(name('urlMap'))) },
    forwardingRule: {
      name: name('forwardingRule'),
      IPAddress: ip,
      IPProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: toUrl(network),
      subnetwork: toUrl(subnetwork),
      target: regionalUrl('targetProxy', ref(name('targetProxy'))),
    },
  };
}

async function insertChain(
  port: GcpPort,
  resources: ReturnType<typeof chain>,
  kinds: readonly ResourceKind[] = RESOURCE_KINDS,
): Promise<void> {
  for (const kind of kinds) await port.insert(kind, ref(resources[kind].name), resources[kind], newRequestId());
}

async function failure(promise: Promise<unknown>): Promise<GcpError> {
  const outcome = await promise.then(
    () => new Error('expected the call to fail'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof GcpError)) throw outcome;
  return outcome;
}

// The first calls load the client modules and build the 12 MB compute protobuf root: slow on a
// busy machine, so this suite allows more than the default 30 s per test.
jest.setTimeout(90_000);

let emulator: Emulator;
let port: GcpPort;

beforeAll(async () => {
  emulator = await startEmulator({ seed: mesh, operationDelayMs: 50 });
  port = createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: SELF });
});

afterAll(async () => {
  await port?.close();
  await emulator?.stop();
});

beforeEach(() => emulator.reset());

describe('reads', () => {
  it('getService returns the normalised service, or null when absent', async () => {
    const service = await port.getService(serviceRef);
    expect(service).toMatchObject({
      name: `projects/${project}/locations/${region}/services/server-service`,
      ingress: 'internal',
      annotations: {},
    });
    expect(service?.etag).toEqual(expect.any(String));
    expect(service?.etag.length).toBeGreaterThan(0);
    expect(service?.latestCreatedRevision).toEqual(expect.stringContaining('server-service-'));
    expect(await port.getService({ ...serviceRef, service: 'no-such-service' })).toBeNull();
  });

  it('get returns each seeded kind in the port shape (no proto defaults) and null when absent', async () => {
    const names = server.loadBalancer.names;
    expect(await port.get('address', seeded('address'))).toEqual({
      name: names.address,
      address: '10.0.0.100',
      addressType: 'INTERNAL',
      subnetwork: toUrl(subnetwork),
      purpose: 'SHARED_LOADBALANCER_VIP',
      selfLink: regionalUrl('address', seeded('address')),
    });
    expect(await port.get('neg', seeded('neg'))).toEqual({
      name: names.neg,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'server-service' },
      selfLink: regionalUrl('neg', seeded('neg')),
    });
    expect(await port.get('backendService', seeded('backendService'))).toEqual({
      name: names.backendService,
      protocol: 'HTTP',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [{ group: regionalUrl('neg', seeded('neg')), balancingMode: 'UTILIZATION', capacityScaler: 1 }],
      logConfig: { enable: true, sampleRate: 1 },
      localityLbPolicy: 'ROUND_ROBIN',
      sessionAffinity: 'NONE',
      timeoutSec: 30,
      fingerprint: expect.any(String),
      selfLink: regionalUrl('backendService', seeded('backendService')),
    });
    expect(await port.get('urlMap', seeded('urlMap'))).toEqual({
      name: names.urlMap,
      defaultService: regionalUrl('backendService', seeded('backendService')),
      fingerprint: expect.any(String),
      selfLink: regionalUrl('urlMap', seeded('urlMap')),
    });
    expect(await port.get('targetProxy', seeded('targetProxy'))).toEqual({
      name: names.targetProxy,
      urlMap: regionalUrl('urlMap', seeded('urlMap')),
      fingerprint: expect.any(String),
      selfLink: regionalUrl('targetProxy', seeded('targetProxy')),
    });
    expect(await port.get('forwardingRule', seeded('forwardingRule'))).toEqual({
      name: names.forwardingRule,
      IPAddress: '10.0.0.100',
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: toUrl(network),
      subnetwork: toUrl(subnetwork),
      target: regionalUrl('targetProxy', seeded('targetProxy')),
      fingerprint: expect.any(String),
      selfLink: regionalUrl('forwardingRule', seeded('forwardingRule')),
    });
    for (const kind of RESOURCE_KINDS) expect({ kind, observed: await port.get(kind, ref('absent')) }).toEqual({ kind, observed: null });
  });
});

describe('inserts', () => {
  it('inserts each kind in dependency order, each readable as soon as insert resolves (operation awaited)', async () => {
    const other = chain('other-lb', '10.0.0.101');
    for (const kind of RESOURCE_KINDS) {
      await port.insert(kind, ref(other[kind].name), other[kind], newRequestId());
      const observed = await port.get(kind, ref(other[kind].name));
      expect({ kind, exists: observed !== null }).toEqual({ kind, exists: true });
    }
    const rule = await port.get('forwardingRule', ref(other.forwardingRule.name));
    expect(rule).toMatchObject({ IPAddress: '10.0.0.101', portRange: '80-80', IPProtocol: 'TCP', loadBalancingScheme: 'INTERNAL_MANAGED' });
    expect(sameRef(rule?.target, other.forwardingRule.target)).toBe(true);
    const backend = await port.get('backendService', ref(other.backendService.name));
    expect(backend?.backends?.map((b) => b.group)).toEqual([regionalUrl('neg', ref(other.neg.name))]);
  });

  it('waits for slow operations: insert resolves only once the operation is DONE', async () => {
    emulator.faults.set({ operationDelayMs: 400 });
    const address = chain('slow-lb', '10.0.0.102').address;
    const started = Date.now();
    await port.insert('address', ref(address.name), address, newRequestId());
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(await port.get('address', ref(address.name))).not.toBeNull();
  });

  it('a retried insert with the same requestId is idempotent: one write, no error', async () => {
    const address = chain('retry-lb', '10.0.0.103').address;
    const requestId = newRequestId();
    await port.insert('address', ref(address.name), address, requestId);
    const writes = emulator.writes();
    await port.insert('address', ref(address.name), address, requestId);
    expect(emulator.writes()).toBe(writes);
    const again = await failure(port.insert('address', ref(address.name), address, newRequestId()));
    expect(again).toMatchObject({ errorClass: 'alreadyExists', httpStatus: 409, code: 10, reason: 'alreadyExists' });
  });

  it('an existing name is alreadyExists (409 / code 10), also when a twin wins the race', async () => {
    const existing = await failure(
      port.insert(
        'neg',
        seeded('neg'),
        { name: seeded('neg').name, networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } },
        newRequestId(),
      ),
    );
    expect(existing.errorClass).toBe('alreadyExists');
    expect(existing.message).toContain(`insert:neg projects/${project}/regions/${region}/networkEndpointGroups/${seeded('neg').name}`);

    emulator.faults.set({ race409: { forwardingRules: 1 } });
    const other = chain('race-lb', '10.0.0.104');
    await insertChain(port, other, ['address', 'neg', 'backendService', 'urlMap', 'targetProxy']);
    const raced = await failure(port.insert('forwardingRule', ref(other.forwardingRule.name), other.forwardingRule, newRequestId()));
    expect(raced.errorClass).toBe('alreadyExists');
    expect(await port.get('forwardingRule', ref(other.forwardingRule.name))).not.toBeNull();
  });

  it('a reference to a missing resource is permanent, with Google message', async () => {
    const urlMap = { name: 'orphan-url-map', defaultService: regionalUrl('backendService', ref('no-such-backend')) };
    const error = await failure(port.insert('urlMap', ref(urlMap.name), urlMap, newRequestId()));
    expect(error.errorClass).toBe('permanent');
    expect(error.message).toContain('insert:urlMap');
    expect(error.message).toContain('no-such-backend');
    expect(await port.get('urlMap', ref(urlMap.name))).toBeNull();
  });
});

describe('mutations', () => {
  it('patches a backend service with its fingerprint: re-attaches a NEG a person detached', async () => {
    const before = await port.get('backendService', seeded('backendService'));
    // A person's detach, sent as raw REST (the client itself cannot send an empty list).
    const response = await fetch(`${emulator.url}/compute/v1/${regionalPath('backendService', seeded('backendService'))}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer principal:alice@example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ backends: [], fingerprint: before?.fingerprint }),
    });
    expect(response.status).toBe(200);
    await waitUntil(async () => (await port.get('backendService', seeded('backendService')))?.backends === undefined);
    const detached = await port.get('backendService', seeded('backendService'));
    expect(detached?.fingerprint).not.toBe(before?.fingerprint);

    await port.mutate({
      kind: 'backendService',
      method: 'patch',
      ref: seeded('backendService'),
      fingerprint: detached?.fingerprint ?? '',
      fields: { backends: before?.backends, localityLbPolicy: 'RANDOM' },
    });
    expect(await port.get('backendService', seeded('backendService'))).toMatchObject({
      backends: before?.backends,
      localityLbPolicy: 'RANDOM',
      sessionAffinity: 'NONE',
    });
  });

  it('refuses a patch that would clear a list, since the client would silently drop it', async () => {
    const before = await port.get('backendService', seeded('backendService'));
    const writes = emulator.writes();
    const error = await failure(
      port.mutate({
        kind: 'backendService',
        method: 'patch',
        ref: seeded('backendService'),
        fingerprint: before?.fingerprint ?? '',
        fields: { backends: [] },
      }),
    );
    expect(error.errorClass).toBe('permanent');
    expect(error.message).toContain('cannot clear backends with patch');
    expect(emulator.writes()).toBe(writes);
  });

  it('repoints the URL map, the proxy and the forwarding rule to another chain', async () => {
    const alt = chain('alt-lb', '10.0.0.105');
    await insertChain(port, alt, ['neg', 'backendService', 'urlMap', 'targetProxy']);
    const urlMap = await port.get('urlMap', seeded('urlMap'));
    await port.mutate({
      kind: 'urlMap',
      method: 'patch',
      ref: seeded('urlMap'),
      fingerprint: urlMap?.fingerprint ?? '',
      fields: { defaultService: regionalUrl('backendService', ref(alt.backendService.name)) },
    });
    await port.mutate({
      kind: 'targetProxy',
      method: 'setUrlMap',
      ref: seeded('targetProxy'),
      urlMap: regionalUrl('urlMap', ref(alt.urlMap.name)),
    });
    await port.mutate({
      kind: 'forwardingRule',
      method: 'setTarget',
      ref: seeded('forwardingRule'),
      target: regionalUrl('targetProxy', ref(alt.targetProxy.name)),
    });
    expect(
      sameRef((await port.get('urlMap', seeded('urlMap')))?.defaultService, regionalUrl('backendService', ref(alt.backendService.name))),
    ).toBe(true);
    expect(sameRef((await port.get('targetProxy', seeded('targetProxy')))?.urlMap, regionalUrl('urlMap', ref(alt.urlMap.name)))).toBe(true);
    expect(
      sameRef((await port.get('forwardingRule', seeded('forwardingRule')))?.target, regionalUrl('targetProxy', ref(alt.targetProxy.name))),
    ).toBe(true);
  });

  it('a stale fingerprint is conflict (412 conditionNotMet) and changes nothing', async () => {
    const before = await port.get('urlMap', seeded('urlMap'));
    const error = await failure(
      port.mutate({
        kind: 'urlMap',
        method: 'patch',
        ref: seeded('urlMap'),
        fingerprint: 'c3RhbGU=',
        fields: { defaultService: regionalUrl('backendService', ref('x')) },
      }),
    );
    expect(error).toMatchObject({ errorClass: 'conflict', httpStatus: 412, reason: 'conditionNotMet' });
    expect(error.message).toContain(`mutate:urlMap:patch projects/${project}/regions/${region}/urlMaps/${seeded('urlMap').name}`);
    expect(await port.get('urlMap', seeded('urlMap'))).toEqual(before);
  });

  it('re-pointing at a missing resource is permanent', async () => {
    const error = await failure(
      port.mutate({
        kind: 'forwardingRule',
        method: 'setTarget',
        ref: seeded('forwardingRule'),
        target: regionalUrl('targetProxy', ref('gone')),
      }),
    );
    // Compute's 404 names the missing proxy, not the rule: a missing reference, not a vanished rule.
    expect(error).toMatchObject({ errorClass: 'permanent', httpStatus: 404 });
  });

  it('an operation that ends DONE with an error fails the call (INTERNAL_ERROR → transient)', async () => {
    emulator.faults.set({ failNextOperations: 1 });
    const error = await failure(
      port.mutate({
        kind: 'targetProxy',
        method: 'setUrlMap',
        ref: seeded('targetProxy'),
        urlMap: regionalUrl('urlMap', seeded('urlMap')),
      }),
    );
    expect(error).toMatchObject({ errorClass: 'transient', reason: 'INTERNAL_ERROR', httpStatus: 500 });
    expect(error.message).toContain('Injected operation failure');
  });
});

describe('deletes', () => {
  it('deletes each kind in reverse dependency order; a referenced resource cannot go first', async () => {
    const inUse = await failure(port.delete('backendService', seeded('backendService'), newRequestId()));
    expect(inUse).toMatchObject({ errorClass: 'permanent', reason: 'resourceInUseByAnotherResource' });
    for (const kind of [...RESOURCE_KINDS].reverse()) {
      await port.delete(kind, seeded(kind), newRequestId());
      expect({ kind, observed: await port.get(kind, seeded(kind)) }).toEqual({ kind, observed: null });
    }
  });
});

describe('Cloud Run ingress', () => {
  it('setIngress with the etag returns the updated service; the stale etag is then conflict', async () => {
    const before = await port.getService(serviceRef);
    const after = await port.setIngress(serviceRef, 'internal-and-cloud-load-balancing', before?.etag ?? '');
    expect(after.ingress).toBe('internal-and-cloud-load-balancing');
    expect(after.etag).not.toBe(before?.etag);
    // ingress is outside the template: no new revision (as the emulator models Cloud Run).
    expect(after.latestCreatedRevision).toBe(before?.latestCreatedRevision);
    expect((await port.getService(serviceRef))?.ingress).toBe('internal-and-cloud-load-balancing');

    const stale = await failure(port.setIngress(serviceRef, 'internal', before?.etag ?? ''));
    expect(stale).toMatchObject({ errorClass: 'conflict', code: 10, httpStatus: 409 });
    expect(stale.message).toContain('setIngress projects/demo-project/locations/asia-northeast1/services/server-service');
  });

  it('repairs ingress a person opened (integer enum on the wire → "all")', async () => {
    // A person's write, as gcloud/console would make it: not through the adapter, another principal.
    const response = await fetch(`${emulator.url}/v2/projects/${project}/locations/${region}/services/server-service?updateMask=ingress`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer principal:alice@example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ ingress: 'INGRESS_TRAFFIC_ALL' }),
    });
    expect(response.status).toBe(200);
    await waitUntil(async () => (await port.getService(serviceRef))?.ingress === 'all');
    const opened = await port.getService(serviceRef);
    const repaired = await port.setIngress(serviceRef, 'internal', opened?.etag ?? '');
    expect(repaired.ingress).toBe('internal');
  });

  it('an org policy rejection is permanent', async () => {
    emulator.faults.set({ reject: [{ method: 'UpdateService', error: 'orgPolicy' }] });
    const service = await port.getService(serviceRef);
    const error = await failure(port.setIngress(serviceRef, 'internal', service?.etag ?? ''));
    expect(error).toMatchObject({ errorClass: 'permanent', httpStatus: 400 });
    expect(error.message).toContain('constraints/run.allowedIngress');
  });
});

describe('faults', () => {
  it('503 is transient and 403 permission denied is permanent, each naming the call', async () => {
    emulator.faults.set({ rate503: 1, errorMethods: ['forwardingRules.get'] });
    expect(await failure(port.get('forwardingRule', seeded('forwardingRule')))).toMatchObject({ errorClass: 'transient', httpStatus: 503 });
    emulator.faults.reset();
    emulator.faults.set({ reject: [{ method: 'addresses.insert', error: 'permissionDenied' }] });
    const address = chain('denied-lb', '10.0.0.106').address;
    const denied = await failure(port.insert('address', ref(address.name), address, newRequestId()));
    expect(denied).toMatchObject({ errorClass: 'permanent', httpStatus: 403, code: 7 });
    expect(denied.message).toMatch(
      /^insert:address projects\/demo-project\/regions\/asia-northeast1\/addresses\/denied-lb-ip: Required 'compute\.addresses\.createInternal' permission/,
    );
  });
});

describe('audit trail', () => {
  it('every write carries the self principal, and its permission is in PERMISSIONS_BY_CALL for that call', async () => {
    const service = await port.getService(serviceRef);
    await port.setIngress(serviceRef, 'internal', service?.etag ?? '');
    const other = chain('audit-lb', '10.0.0.107');
    await insertChain(port, other);
    const proxy = await port.get('targetProxy', ref(other.targetProxy.name));
    expect(proxy).not.toBeNull();
    await port.mutate({
      kind: 'targetProxy',
      method: 'setUrlMap',
      ref: ref(other.targetProxy.name),
      urlMap: regionalUrl('urlMap', ref(other.urlMap.name)),
    });
    await port.delete('forwardingRule', ref(other.forwardingRule.name), newRequestId());
    await emulator.audit.flush();

    const entries = emulator.audit.entries;
    expect(entries.length).toBeGreaterThanOrEqual(9);
    const callOf: Record<string, string> = {
      'google.cloud.run.v2.Services.UpdateService': 'setIngress',
      'v1.compute.addresses.insert': 'insert:address',
      'v1.compute.regionNetworkEndpointGroups.insert': 'insert:neg',
      'v1.compute.regionBackendServices.insert': 'insert:backendService',
      'v1.compute.regionUrlMaps.insert': 'insert:urlMap',
      'v1.compute.regionTargetHttpProxies.insert': 'insert:targetProxy',
      'v1.compute.forwardingRules.insert': 'insert:forwardingRule',
      'v1.compute.regionTargetHttpProxies.setUrlMap': 'mutate:targetProxy:setUrlMap',
      'v1.compute.forwardingRules.delete': 'delete:forwardingRule',
    };
    const seen = new Set<string>();
    for (const entry of entries) {
      const payload = entry.protoPayload as {
        methodName: string;
        authenticationInfo: { principalEmail: string };
        authorizationInfo?: Array<{ permission: string }>;
      };
      expect({ method: payload.methodName, principal: payload.authenticationInfo.principalEmail }).toEqual({
        method: payload.methodName,
        principal: SELF,
      });
      const call = callOf[payload.methodName];
      expect({ method: payload.methodName, mapped: call !== undefined }).toEqual({ method: payload.methodName, mapped: true });
      for (const { permission } of payload.authorizationInfo ?? []) {
        expect({ call, permission, inMap: PERMISSIONS_BY_CALL[call ?? '']?.includes(permission) }).toEqual({
          call,
          permission,
          inMap: true,
        });
      }
      seen.add(payload.methodName);
    }
    expect([...seen].sort()).toEqual(Object.keys(callOf).sort());
  });
});

describe('laziness (a fresh process)', () => {
  const execFileAsync = promisify(execFile);
  const root = join(__dirname, '..', '..');

  /** Runs `script` in a child Node on the product's code (build/ or the sources); returns its JSON output. */
  async function inChild(script: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, string[]>> {
    const { stdout } = await execFileAsync(process.execPath, evalArgs(script), {
      cwd: root,
      env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true', METADATA_SERVER_DETECTION: 'none' },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, string[]>;
  }

  const loaded = `() => Object.keys(require.cache).filter((k) => /node_modules\\/(@google-cloud\\/(run|compute)|google-gax|google-auth-library)\\/.*\\.js$/.test(k)).map((k) => k.replace(/.*node_modules\\//, ''))`;

  it('requiring adapter.ts loads no Google module; the first call loads only the client it needs', async () => {
    const result = await inChild(
      `const loaded = ${loaded};
       const { createGcpPort } = require('./functions/gcp/adapter');
       const out = { afterRequire: loaded() };
       const { parseEnvironment } = require('./functions/config/environment');
       const port = createGcpPort({ environment: parseEnvironment(process.env).environment });
       out.afterCreate = loaded();
       port.getService({ project: 'p', region: 'r', service: 's' }).then((service) => {
         out.afterGetService = loaded().filter((k) => /@google-cloud\\/(run|compute)\\/build\\/src\\/v\\d/.test(k));
         out.service = [String(service && service.ingress)];
         out.clients = port.clientNames();
         return port.get('forwardingRule', { project: 'p', region: 'r', name: 'f' });
       }).then(() => {
         out.afterGet = loaded().filter((k) => /@google-cloud\\/compute\\/build\\/src\\/v1/.test(k));
         out.barrels = loaded().filter((k) => /@google-cloud\\/(run|compute)\\/build\\/src\\/index\\.js$/.test(k));
         out.clientsAfterGet = port.clientNames();
         console.log(JSON.stringify(out));
         return port.close();
       }).catch((e) => { console.log(JSON.stringify({ error: [String(e && e.message)] })); });`,
      { ...emulator.env, SELF_PRINCIPAL: SELF },
    );
    expect(result.error).toBeUndefined();
    expect(result.afterRequire).toEqual([]);
    expect(result.afterCreate).toEqual([]);
    expect(result.afterGetService).toEqual(['@google-cloud/run/build/src/v2/services_client.js']);
    expect(result.service).toEqual(['null']); // p/r/s does not exist
    expect(result.clients).toEqual(['run']);
    expect(result.afterGet).toEqual(['@google-cloud/compute/build/src/v1/forwarding_rules_client.js']);
    expect(result.barrels).toEqual([]);
    expect(result.clientsAfterGet).toEqual(['run', 'forwardingRule']);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
