// The fake must hold Compute's rules, or the runner tests on it prove nothing.
import { GcpError } from '../../functions/gcp/port';
import { desiredChain, refOf, urlOf } from '../../functions/reconcile/desired';
import { FakePort, demoService, seedDeclared } from './fake-port';

const svc = demoService();
const serviceRef = { project: svc.project, region: svc.region, service: svc.service };

function seeded(): FakePort {
  const port = new FakePort();
  seedDeclared(port, svc);
  return port;
}

async function errorOf(promise: Promise<unknown>): Promise<GcpError> {
  try {
    await promise;
  } catch (error) {
    return error as GcpError;
  }
  throw new Error('expected a rejection');
}

describe('FakePort', () => {
  it('returns null for what is absent and a selfLink for what exists', async () => {
    const port = seeded();
    expect(await port.get('urlMap', { ...refOf(svc, 'urlMap'), name: 'nope' })).toBeNull();
    expect(await port.get('urlMap', refOf(svc, 'urlMap'))).toMatchObject({ selfLink: urlOf(svc, 'urlMap'), fingerprint: expect.any(String) });
    expect(await port.getService({ ...serviceRef, service: 'nope' })).toBeNull();
  });

  it('refuses an insert that references a missing resource, and a second insert of one name', async () => {
    const port = new FakePort();
    const chain = desiredChain(svc);
    expect(await errorOf(port.insert('urlMap', refOf(svc, 'urlMap'), chain.urlMap, 'r1'))).toMatchObject({ errorClass: 'permanent', httpStatus: 400 });
    await port.insert('neg', refOf(svc, 'neg'), chain.neg, 'r2');
    expect(await errorOf(port.insert('neg', refOf(svc, 'neg'), chain.neg, 'r3'))).toMatchObject({ errorClass: 'alreadyExists', code: 10, httpStatus: 409 });
    await port.insert('neg', refOf(svc, 'neg'), chain.neg, 'r2'); // same requestId: the original result
    expect(port.writes.map((w) => w.result)).toEqual(['permanent', 'ok', 'alreadyExists', 'ok']);
  });

  it('resolves the forwarding rule IPAddress URL to the address literal', async () => {
    const port = seeded();
    port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    await port.insert('forwardingRule', refOf(svc, 'forwardingRule'), desiredChain(svc).forwardingRule, 'r');
    expect(port.peek('forwardingRule', refOf(svc, 'forwardingRule'))!.IPAddress).toBe('10.0.0.100');
  });

  it('refuses to delete a referenced resource (address by IP too), and deletes a free one', async () => {
    const port = seeded();
    for (const kind of ['address', 'neg', 'backendService', 'urlMap', 'targetProxy'] as const) {
      expect(await errorOf(port.delete(kind, refOf(svc, kind), 'r'))).toMatchObject({ errorClass: 'permanent', reason: 'resourceInUseByAnotherResource' });
    }
    await port.delete('forwardingRule', refOf(svc, 'forwardingRule'), 'r');
    await port.delete('address', refOf(svc, 'address'), 'r');
    expect(await errorOf(port.delete('address', refOf(svc, 'address'), 'r'))).toMatchObject({ errorClass: 'notFound' });
  });

  it('refuses a stale fingerprint or etag and changes them on every write', async () => {
    const port = seeded();
    const ref = refOf(svc, 'urlMap');
    const before = port.peek('urlMap', ref)!;
    const patch = { kind: 'urlMap' as const, method: 'patch' as const, ref, fingerprint: before.fingerprint!, fields: { defaultService: urlOf(svc, 'backendService') } };
    await port.mutate(patch);
    expect(port.peek('urlMap', ref)!.fingerprint).not.toBe(before.fingerprint);
    expect(await errorOf(port.mutate(patch))).toMatchObject({ errorClass: 'conflict', httpStatus: 412 });
    const etag = port.service(serviceRef)!.etag;
    const updated = await port.setIngress(serviceRef, 'internal', etag);
    expect(updated.etag).not.toBe(etag);
    expect(await errorOf(port.setIngress(serviceRef, 'internal', etag))).toMatchObject({ errorClass: 'conflict' });
  });

  it('refuses a re-point at a missing target and a mutation of a missing resource', async () => {
    const port = seeded();
    const setTarget = { kind: 'forwardingRule' as const, method: 'setTarget' as const, ref: refOf(svc, 'forwardingRule'), target: `${urlOf(svc, 'targetProxy')}-gone` };
    expect(await errorOf(port.mutate(setTarget))).toMatchObject({ errorClass: 'permanent' });
    port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    expect(await errorOf(port.mutate(setTarget))).toMatchObject({ errorClass: 'notFound' });
  });

  it('injects errors for matching calls only, the given number of times', async () => {
    const port = seeded();
    port.inject({ call: 'get', kind: 'neg', error: new GcpError('transient', 'busy', 14, 503), times: 2 });
    expect(await port.get('urlMap', refOf(svc, 'urlMap'))).not.toBeNull();
    expect(await errorOf(port.get('neg', refOf(svc, 'neg')))).toMatchObject({ errorClass: 'transient' });
    expect(await errorOf(port.get('neg', refOf(svc, 'neg')))).toMatchObject({ errorClass: 'transient' });
    expect(await port.get('neg', refOf(svc, 'neg'))).not.toBeNull();
    expect(port.calls.map((c) => c.result)).toEqual(['ok', 'transient', 'transient', 'ok']);
  });
});
