// Shared fresh reads: concurrent asks of one (project, region, kind) go out as one filtered list,
// and a read already on its way never answers someone who asked after it left.
import { memoryLogger } from '../log';
import type { ResourceKind } from '../config/mesh';
import type { MeshPort, Observed } from '../gcp/port';
import { refOf, urlOf } from './desired';
import { FreshReads } from './fresh-reads';
import { createReconciler } from './reconciler';
import { takeSnapshot } from './snapshot';
import { DEFAULT_RETRY } from './retry';
import { FakePort, demoMesh, demoService, seedDeclared } from '../../test/support/fake-port';
import { GcpError } from '../gcp/port';

function world(count: number) {
  const services = Array.from({ length: count }, (_, i) =>
    demoService({ service: `svc-${i}`, namePrefix: `svc-${i}-lb`, ipAddress: `10.0.1.${i + 1}` }),
  );
  const port = new FakePort();
  for (const svc of services) seedDeclared(port, svc);
  const reads = () => port.calls.filter((c) => c.call === 'get' || c.call === 'list').map((c) => `${c.call} ${c.kind}`);
  return { services, port, reads };
}

/**
 * Google as the test needs it: a read sees the state when it arrives (when the port is called),
 * and its answer comes back only when the test lets it.
 */
function heldAnswers(port: MeshPort) {
  const held: Array<() => void> = [];
  const hold = <T>(answer: Promise<T>): Promise<T> => answer.then((value) => new Promise<T>((resolve) => held.push(() => resolve(value))));
  const gated: MeshPort = {
    listServices: (scope) => port.listServices(scope),
    getService: (ref) => port.getService(ref),
    setIngress: (ref, ingress, etag) => port.setIngress(ref, ingress, etag),
    setVpcAccess: (ref, vpcAccess, etag) => port.setVpcAccess(ref, vpcAccess, etag),
    insert: (kind, ref, resource, requestId) => port.insert(kind, ref, resource, requestId),
    mutate: (mutation) => port.mutate(mutation),
    delete: (kind, ref, requestId) => port.delete(kind, ref, requestId),
    get: (kind, ref) => hold(port.get(kind, ref)),
    list: (kind, scope, names) => hold(port.list(kind, scope, names)),
  };
  /** A few turns of the event loop: a batch is sent on the next turn, its answer held a turn later. */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    port: gated,
    held: () => held.length,
    /** Lets every answer held so far come back. */
    async release() {
      for (const answer of held.splice(0)) answer();
      await settle();
    },
    settle,
  };
}

describe('fresh reads', () => {
  it('asks of one kind made together go out as one filtered list; a lone ask is a GET', async () => {
    const { services, port, reads } = world(5);
    const fresh = new FreshReads(port);
    const rules = await Promise.all(services.map((s) => fresh.get('forwardingRule', refOf(s, 'forwardingRule'))));
    expect(rules.map((r) => r?.name)).toEqual(services.map((s) => s.loadBalancer.names.forwardingRule));
    expect(reads()).toEqual(['list forwardingRule']);
    await fresh.get('urlMap', refOf(services[0]!, 'urlMap'));
    expect(reads()).toEqual(['list forwardingRule', 'get urlMap']);
  });

  it('answers null for a name the list does not hold, as a GET answers 404', async () => {
    const { services, port } = world(3);
    port.remove('forwardingRule', refOf(services[1]!, 'forwardingRule'));
    const fresh = new FreshReads(port);
    const rules = await Promise.all(services.map((s) => fresh.get('forwardingRule', refOf(s, 'forwardingRule'))));
    expect(rules.map((r) => r?.name ?? null)).toEqual([
      services[0]!.loadBalancer.names.forwardingRule,
      null,
      services[2]!.loadBalancer.names.forwardingRule,
    ]);
  });

  it('never answers an asker with a read that was already on its way when it asked', async () => {
    const { services, port } = world(4);
    const google = heldAnswers(port);
    const fresh = new FreshReads(google.port);
    const [a, b, c, d] = services.map((s) => refOf(s, 'forwardingRule')) as [
      ReturnType<typeof refOf>,
      ReturnType<typeof refOf>,
      ReturnType<typeof refOf>,
      ReturnType<typeof refOf>,
    ];
    port.remove('forwardingRule', c);
    // a and b ask; their list leaves (and sees c absent) but its answer is held.
    const first = [fresh.get('forwardingRule', a), fresh.get('forwardingRule', b)];
    await google.settle();
    expect(google.held()).toBe(1);
    // c is created again (a repair's insert done), then its reconcile and d's ask for a fresh read.
    const recreated = services[2]!;
    seedDeclared(port, recreated);
    const later = [fresh.get('forwardingRule', c), fresh.get('forwardingRule', d)];
    await google.settle();
    // Nothing more leaves while the first list is on its way; c's read is not the held one.
    expect(google.held()).toBe(1);
    await google.release();
    expect((await Promise.all(first)).map((r) => r?.name)).toEqual([a.name, b.name]);
    // The next list left after c and d asked: it sees the recreated rule.
    expect(google.held()).toBe(1);
    await google.release();
    const [cRead, dRead] = await Promise.all(later);
    expect(cRead?.name).toBe(c.name);
    expect(dRead?.name).toBe(d.name);
  });

  it('a failed read fails every asker of it, and the next ask makes a new read', async () => {
    const { services, port, reads } = world(2);
    port.inject({ call: 'list', kind: 'forwardingRule', error: new GcpError('transient', 'backend error', 14, 503) });
    const fresh = new FreshReads(port);
    const asks = services.map((s) => fresh.get('forwardingRule', refOf(s, 'forwardingRule')));
    await expect(Promise.all(asks)).rejects.toThrow('backend error');
    await expect(Promise.allSettled(asks)).resolves.toEqual([
      expect.objectContaining({ status: 'rejected' }),
      expect.objectContaining({ status: 'rejected' }),
    ]);
    expect(await fresh.get('forwardingRule', refOf(services[0]!, 'forwardingRule'))).not.toBeNull();
    expect(reads()).toEqual(['list forwardingRule', 'get forwardingRule']);
  });

  it('sends a batch at once when it is full, without waiting for the read on its way', async () => {
    const { services, port } = world(1);
    const google = heldAnswers(port);
    const fresh = new FreshReads(google.port);
    const ref = refOf(services[0]!, 'forwardingRule');
    const waiting = [fresh.get('forwardingRule', ref)];
    await google.settle();
    for (let i = 0; i < 100; i++) waiting.push(fresh.get('forwardingRule', { ...ref, name: `other-${i}` }));
    // The hundredth distinct name fills the batch: it leaves although the first read is held.
    expect(google.held()).toBe(1);
    await google.settle();
    expect(google.held()).toBe(2);
    await google.release();
    const found = await Promise.all(waiting);
    expect(found.filter((r): r is Observed<ResourceKind> => r !== null).map((r) => r.name)).toEqual([ref.name]);
  });
});

describe('reconciles sharing fresh reads', () => {
  it('confirm and verify the repairs a snapshot found with one list each, not a GET per resource', async () => {
    const { services, port, reads } = world(5);
    for (const svc of services) port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    const reconciler = createReconciler(demoMesh(services), {
      port,
      logger: memoryLogger(),
      sleep: async () => undefined,
      batchWindowMs: 10,
    });
    const scope = { project: services[0]!.project, region: services[0]!.region };
    const snapshot = await takeSnapshot(port, scope, { ...DEFAULT_RETRY, sleep: async () => undefined });
    port.calls.length = 0;
    const outcomes = await Promise.all(services.map((s) => reconciler.reconcile(s.key, { snapshot })));
    expect(outcomes.map((o) => o.status)).toEqual(services.map(() => 'repaired'));
    expect(reads()).toEqual(['list forwardingRule', 'list forwardingRule']);
    expect(port.writes.map((w) => `${w.call} ${w.kind}`)).toEqual(services.map(() => 'insert forwardingRule'));
  });

  it('writes nothing when the shared fresh read shows someone already repaired it', async () => {
    const { services, port } = world(3);
    const rule = refOf(services[1]!, 'forwardingRule');
    port.edit('forwardingRule', rule, { target: `${urlOf(services[1]!, 'targetProxy')}-other` });
    for (const svc of [services[0]!, services[2]!]) port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    const reconciler = createReconciler(demoMesh(services), {
      port,
      logger: memoryLogger(),
      sleep: async () => undefined,
      batchWindowMs: 10,
    });
    const snapshot = await takeSnapshot(
      port,
      { project: rule.project, region: rule.region },
      { ...DEFAULT_RETRY, sleep: async () => undefined },
    );
    // Put back after the snapshot, before the fresh read.
    port.edit('forwardingRule', rule, { target: urlOf(services[1]!, 'targetProxy') });
    const outcomes = await Promise.all(services.map((s) => reconciler.reconcile(s.key, { snapshot })));
    expect(outcomes.map((o) => o.status)).toEqual(['repaired', 'in-sync', 'repaired']);
    expect(port.writes.map((w) => `${w.call} ${w.name}`)).toEqual([
      `insert ${services[0]!.loadBalancer.names.forwardingRule}`,
      `insert ${services[2]!.loadBalancer.names.forwardingRule}`,
    ]);
  });
});
