// Compute's and Cloud Run's rules are implemented twice: by the in-memory FakePort the reconciler
// tests run on, and by the emulator the real adapter talks to. One contract, run against both, so
// the two cannot drift apart: a rule the fake holds and the emulator does not (or the reverse)
// fails here.
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY } from '../../functions/config/mesh';
import { createGcpPort } from '../../functions/gcp/adapter';
import { GcpError, type MeshPort } from '../../functions/gcp/port';
import { desiredChain, refOf, urlOf } from '../../functions/reconcile/desired';
import { startEmulator, type Emulator } from '../emulator';
import { DriftActor } from './drift-actor';
import { FakePort, demoService, seedDeclared } from './fake-port';
import { SELF_PRINCIPAL } from './identity';
import type { ResourceKind } from '../../functions/config/mesh';
import type { ResourceRef } from '../../functions/gcp/port';
import { parseEnvironment } from '../../functions/config/environment';

const svc = demoService();
const serviceRef = { project: svc.project, region: svc.region, service: svc.service };

/** A port over the declared service's healthy chain, and a way to delete a resource behind its back. */
interface World {
  port: MeshPort;
  removeBehindItsBack(kind: ResourceKind): Promise<void>;
}

let emulator: Emulator | undefined;
afterAll(() => emulator?.stop());

const WORLDS: Array<[string, () => Promise<World>]> = [
  [
    'FakePort',
    async () => {
      const port = new FakePort();
      seedDeclared(port, svc);
      return { port, removeBehindItsBack: async (kind) => port.remove(kind, refOf(svc, kind)) };
    },
  ],
  [
    'the emulator through the adapter',
    async () => {
      emulator ??= await startEmulator({ seed: { services: [svc], policy: DEFAULT_POLICY }, operationDelayMs: 0 });
      emulator.reset();
      const actor = new DriftActor(emulator.url);
      const port = createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: SELF_PRINCIPAL });
      return { port, removeBehindItsBack: (kind) => actor.deleteResource(svc, kind) };
    },
  ],
];

async function errorOf(promise: Promise<unknown>): Promise<GcpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GcpError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** A stable UUID per label: Compute takes only UUIDs as requestIds. */
const ids = new Map<string, string>();
const id = (label: string): string => ids.get(label) ?? (ids.set(label, randomUUID()), ids.get(label) as string);

const other = (kind: ResourceKind, name: string): ResourceRef => ({ ...refOf(svc, kind), name });

describe.each(WORLDS)('%s', (_name, world) => {
  let port: MeshPort;
  let removeBehindItsBack: World['removeBehindItsBack'];
  beforeEach(async () => {
    ({ port, removeBehindItsBack } = await world());
  }, 60_000);

  test('returns null for what is absent and a selfLink and fingerprint for what exists', async () => {
    expect(await port.get('urlMap', other('urlMap', 'nope'))).toBeNull();
    expect(await port.get('urlMap', refOf(svc, 'urlMap'))).toMatchObject({
      selfLink: urlOf(svc, 'urlMap'),
      fingerprint: expect.any(String),
    });
    expect(await port.getService({ ...serviceRef, service: 'nope' })).toBeNull();
    expect(await port.getService(serviceRef)).toMatchObject({ ingress: 'internal', etag: expect.any(String) });
  });

  test('refuses an insert that references a missing resource, for good', async () => {
    const urlMap = {
      ...desiredChain(svc).urlMap,
      name: 'contract-url-map',
      defaultService: regional('backendServices', 'missing-backend'),
    };
    // Only the class is the contract: the fake answers 400, the emulator 404 (Google's status here is unverified).
    expect(await errorOf(port.insert('urlMap', other('urlMap', 'contract-url-map'), urlMap, id('r1')))).toMatchObject({
      errorClass: 'permanent',
    });
  });

  test('a requestId that is not a UUID is refused', async () => {
    const neg = { ...desiredChain(svc).neg, name: 'contract-neg' };
    expect(await errorOf(port.insert('neg', other('neg', 'contract-neg'), neg, 'retry-1'))).toMatchObject({
      errorClass: 'permanent',
      httpStatus: 400,
    });
  });

  test('a second insert of one name is alreadyExists; a repeated requestId gets the original result', async () => {
    const neg = { ...desiredChain(svc).neg, name: 'contract-neg' };
    await port.insert('neg', other('neg', 'contract-neg'), neg, id('r2'));
    await port.insert('neg', other('neg', 'contract-neg'), neg, id('r2'));
    expect(await errorOf(port.insert('neg', other('neg', 'contract-neg'), neg, id('r3')))).toMatchObject({
      errorClass: 'alreadyExists',
      httpStatus: 409,
    });
  });

  test('a forwarding rule inserted with the address URL reads back with the address literal', async () => {
    await removeBehindItsBack('forwardingRule');
    await port.insert('forwardingRule', refOf(svc, 'forwardingRule'), desiredChain(svc).forwardingRule, id('r4'));
    expect((await port.get('forwardingRule', refOf(svc, 'forwardingRule')))?.IPAddress).toBe('10.0.0.100');
  });

  test('refuses to delete a referenced resource, deletes a free one, and a missing one is notFound', async () => {
    for (const kind of ['address', 'neg', 'backendService', 'urlMap', 'targetProxy'] as const) {
      expect(await errorOf(port.delete(kind, refOf(svc, kind), id(`d-${kind}`)))).toMatchObject({
        errorClass: 'permanent',
        reason: 'resourceInUseByAnotherResource',
      });
    }
    await port.delete('forwardingRule', refOf(svc, 'forwardingRule'), id('d1'));
    await port.delete('address', refOf(svc, 'address'), id('d2'));
    expect(await errorOf(port.delete('address', refOf(svc, 'address'), id('d3')))).toMatchObject({ errorClass: 'notFound' });
  });

  test('refuses a stale fingerprint or etag and changes them on every write', async () => {
    const ref = refOf(svc, 'urlMap');
    const before = (await port.get('urlMap', ref))!;
    const patch = {
      kind: 'urlMap' as const,
      method: 'patch' as const,
      ref,
      fingerprint: before.fingerprint!,
      fields: { defaultService: urlOf(svc, 'backendService') },
    };
    await port.mutate(patch);
    expect((await port.get('urlMap', ref))!.fingerprint).not.toBe(before.fingerprint);
    expect(await errorOf(port.mutate(patch))).toMatchObject({ errorClass: 'conflict', httpStatus: 412 });
    const { etag } = (await port.getService(serviceRef))!;
    const updated = await port.setIngress(serviceRef, 'internal', etag);
    expect(updated.etag).not.toBe(etag);
    expect(await errorOf(port.setIngress(serviceRef, 'internal', etag))).toMatchObject({ errorClass: 'conflict' });
  });

  test('refuses a re-point at a missing target, and a mutation of a missing resource is notFound', async () => {
    const setTarget = {
      kind: 'forwardingRule' as const,
      method: 'setTarget' as const,
      ref: refOf(svc, 'forwardingRule'),
      target: `${urlOf(svc, 'targetProxy')}-gone`,
    };
    expect(await errorOf(port.mutate(setTarget))).toMatchObject({ errorClass: 'permanent' });
    await removeBehindItsBack('forwardingRule');
    expect(await errorOf(port.mutate(setTarget))).toMatchObject({ errorClass: 'notFound' });
  });
});

function regional(collection: string, name: string): string {
  return `https://www.googleapis.com/compute/v1/projects/${svc.project}/regions/${svc.region}/${collection}/${name}`;
}
