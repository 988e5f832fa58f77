// Reconciling from snapshots (the sweep's shard lists, batched event reads) on the fake port:
// a snapshot only detects; before any write the resources to change are read afresh, and a
// snapshot older than a change never causes a write.
import { memoryLogger } from '../log';
import { refOf, urlOf } from './desired';
import { createReconciler } from './reconciler';
import { takeSnapshot } from './snapshot';
import { DEFAULT_RETRY } from './retry';
import { FakePort, demoMesh, demoService, seedDeclared } from '../../test/support/fake-port';

const retry = { ...DEFAULT_RETRY, sleep: async () => undefined };

function setup(count = 1, batchWindowMs = 0) {
  const services = Array.from({ length: count }, (_, i) =>
    demoService({ service: `svc-${i}`, namePrefix: `svc-${i}-lb`, ipAddress: `10.0.1.${i + 1}` }),
  );
  const port = new FakePort();
  for (const svc of services) seedDeclared(port, svc);
  const reconciler = createReconciler(demoMesh(services), { port, logger: memoryLogger(), sleep: async () => undefined, batchWindowMs });
  const scope = { project: services[0]!.project, region: services[0]!.region };
  const calls = () => port.calls.map((c) => `${c.call} ${c.kind}`);
  return { services, port, reconciler, scope, calls, snapshot: () => takeSnapshot(port, scope, retry) };
}

describe('reconcile against a snapshot', () => {
  it('finds an in-sync service without a single GET', async () => {
    const world = setup(3);
    const snapshot = await world.snapshot();
    world.port.calls.length = 0;
    const outcomes = await Promise.all(world.services.map((s) => world.reconciler.reconcile(s.key, { snapshot })));
    expect(outcomes.map((o) => o.status)).toEqual(['in-sync', 'in-sync', 'in-sync']);
    expect(world.port.calls).toEqual([]);
  });

  it('re-reads only the resource to change before recreating it, and verifies it with a fresh read', async () => {
    const world = setup();
    const svc = world.services[0]!;
    world.port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    const snapshot = await world.snapshot();
    world.port.calls.length = 0;
    const outcome = await world.reconciler.reconcile(svc.key, { snapshot });
    expect(outcome).toMatchObject({ status: 'repaired', writes: 1 });
    expect(world.calls()).toEqual(['get forwardingRule', 'insert forwardingRule', 'get forwardingRule']);
  });

  it('writes nothing when the snapshot is older than a change that already undid the drift', async () => {
    const world = setup();
    const svc = world.services[0]!;
    const rule = refOf(svc, 'forwardingRule');
    world.port.edit('forwardingRule', rule, { target: `${urlOf(svc, 'targetProxy')}-other` });
    const snapshot = await world.snapshot();
    // Someone puts it back after the lists were taken.
    world.port.edit('forwardingRule', rule, { target: urlOf(svc, 'targetProxy') });
    const outcome = await world.reconciler.reconcile(svc.key, { snapshot });
    expect(outcome.status).toBe('in-sync');
    expect(world.port.writes).toEqual([]);
  });

  it("writes with the fresh fingerprint and etag, never the snapshot's", async () => {
    const world = setup();
    const svc = world.services[0]!;
    const ref = { project: svc.project, region: svc.region, service: svc.service };
    world.port.editService(ref, { ingress: 'all' });
    world.port.edit('urlMap', refOf(svc, 'urlMap'), { defaultService: `${urlOf(svc, 'backendService')}-other` });
    const snapshot = await world.snapshot();
    // Changed again after the lists (new etag / fingerprint), still drifted.
    world.port.editService(ref, { ingress: 'all', annotations: { team: 'x' } });
    world.port.edit('urlMap', refOf(svc, 'urlMap'), { defaultService: `${urlOf(svc, 'backendService')}-third` });
    const outcome = await world.reconciler.reconcile(svc.key, { snapshot });
    expect(outcome).toMatchObject({ status: 'repaired', writes: 2 });
    // No stale-etag or stale-fingerprint refusal: the writes used what the fresh reads returned.
    expect(world.port.writes.map((w) => `${w.call} ${w.kind} ${w.result}`).sort()).toEqual(['mutate urlMap ok', 'setIngress service ok']);
  });

  it('honours a pause annotation the fresh read of the service shows', async () => {
    const world = setup();
    const svc = world.services[0]!;
    const ref = { project: svc.project, region: svc.region, service: svc.service };
    world.port.editService(ref, { ingress: 'all' });
    const snapshot = await world.snapshot();
    world.port.editService(ref, { ingress: 'all', annotations: { 'mesh-remediator/paused-until': '2999-01-01T00:00:00Z' } });
    const outcome = await world.reconciler.reconcile(svc.key, { snapshot });
    expect(outcome.status).toBe('paused');
    expect(world.port.writes).toEqual([]);
  });

  it('dates the outcome back to when the snapshot was taken (burst dedupe trusts startedAt)', async () => {
    const world = setup();
    const snapshot = await world.snapshot();
    const outcome = await world.reconciler.reconcile(world.services[0]!.key, {
      snapshot: { ...snapshot, takenAt: snapshot.takenAt - 5000 },
    });
    expect(Date.parse(outcome.startedAt)).toBe(snapshot.takenAt - 5000);
  });
});

describe('batched event reads', () => {
  it('concurrent reconciles of one region share filtered lists instead of seven GETs each', async () => {
    const world = setup(5, 10);
    const outcomes = await Promise.all(world.services.map((s) => world.reconciler.reconcile(s.key)));
    expect(outcomes.every((o) => o.status === 'in-sync')).toBe(true);
    expect(world.calls().filter((c) => c.startsWith('get'))).toEqual([]);
    expect(world.calls().filter((c) => c.startsWith('list')).length).toBe(7);
  });

  it('a lone reconcile reads with GETs: a list would cost as much', async () => {
    const world = setup(2, 10);
    const outcome = await world.reconciler.reconcile(world.services[0]!.key);
    expect(outcome.status).toBe('in-sync');
    expect(world.calls().filter((c) => c.startsWith('list'))).toEqual([]);
    expect(world.calls().length).toBe(7);
  });

  it('reconciles asking while a read of their region is on its way wait for it and share the next one', async () => {
    const world = setup(3, 10);
    const [first, second, third] = world.services.map((s) => s.key) as [string, string, string];
    let answer!: () => void;
    world.port.inject({ call: 'getService', delay: () => new Promise<void>((resolve) => (answer = resolve)) });
    const waitMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const lone = world.reconciler.reconcile(first);
    await waitMs(40); // its window has passed: its GETs are on their way, the service's held
    const later = [world.reconciler.reconcile(second)];
    await waitMs(40); // a window alone would send this one's read now, as seven more GETs
    later.push(world.reconciler.reconcile(third));
    await waitMs(40);
    expect(world.calls().filter((c) => c.startsWith('list'))).toEqual([]);
    answer();
    const outcomes = await Promise.all([lone, ...later]);
    expect(outcomes.map((o) => o.status)).toEqual(['in-sync', 'in-sync', 'in-sync']);
    expect(world.calls().filter((c) => c.startsWith('get')).length).toBe(7); // the lone reconcile's
    expect(world.calls().filter((c) => c.startsWith('list')).length).toBe(7); // one shared read of both others
  });

  it('a batch that finds drift confirms it with fresh reads before writing', async () => {
    const world = setup(4, 10);
    const svc = world.services[2]!;
    world.port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    const outcomes = await Promise.all(world.services.map((s) => world.reconciler.reconcile(s.key)));
    expect(outcomes.map((o) => o.status)).toEqual(['in-sync', 'in-sync', 'repaired', 'in-sync']);
    expect(world.calls().filter((c) => !c.startsWith('list'))).toEqual([
      'get forwardingRule',
      'insert forwardingRule',
      'get forwardingRule',
    ]);
  });
});
