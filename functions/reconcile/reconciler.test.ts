// The runner against the in-memory fake port (Compute's referential rules, fingerprints, etags,
// fault injection). Scenario tests over the real wire against the emulator live elsewhere.
import { RESOURCE_KINDS, type Policy, type ResourceKind } from '../config/mesh';
import { GcpError } from '../gcp/port';
import { memoryLogger } from '../log';
import { refOf, urlOf } from './desired';
import type { Outcome } from './model';
import { PAUSE_ANNOTATION } from './pause';
import { isRetryable } from '../delivery';
import { Admission } from '../admission';
import { createReconciler } from './reconciler';
import { FakePort, demoMesh, demoService, seedDeclared } from '../../test/support/fake-port';

const URL = 'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1';

function setup(policy: Partial<Policy> = {}) {
  const svc = demoService();
  const port = new FakePort();
  seedDeclared(port, svc);
  const logger = memoryLogger();
  const sleeps: number[] = [];
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const reconciler = createReconciler(demoMesh([svc], policy), {
    port,
    logger,
    now: () => new Date(clock),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });
  const serviceRef = { project: svc.project, region: svc.region, service: svc.service };
  return {
    svc,
    port,
    logger,
    sleeps,
    serviceRef,
    ref: (kind: ResourceKind) => refOf(svc, kind),
    advance: (ms: number) => void (clock += ms),
    reconcile: (options?: { dryRun?: boolean }) => reconciler.reconcile(svc.key, options),
    reconciler,
    /** Writes as "call kind name" strings. */
    writes: () => port.writes.map((w) => `${w.call} ${w.kind} ${w.name}`),
  };
}
type World = ReturnType<typeof setup>;

/** The repair held: a second reconcile finds nothing and writes nothing. */
async function expectConverged(world: World): Promise<void> {
  const before = world.port.writes.length;
  const again = await world.reconcile();
  expect(again.status).toBe('in-sync');
  expect(again.writes).toBe(0);
  expect(world.port.writes.length).toBe(before);
}

describe('reconcile on the fake port', () => {
  it('makes no write when the mesh is in sync', async () => {
    const world = setup();
    const outcome = await world.reconcile();
    expect(outcome).toMatchObject({ status: 'in-sync', writes: 0, steps: [], remainingDrift: [] });
    expect(world.port.writes).toEqual([]);
  });

  it('closes ingress opened to all, with the etag it read', async () => {
    const world = setup();
    world.port.editService(world.serviceRef, { ingress: 'all' });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(world.writes()).toEqual(['setIngress service server-service']);
    expect(world.port.service(world.serviceRef)!.ingress).toBe('internal');
    await expectConverged(world);
  });

  it.each(RESOURCE_KINDS)('recreates a deleted %s alone', async (kind) => {
    const world = setup();
    world.port.remove(kind, world.ref(kind));
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(world.writes()).toEqual([`insert ${kind} ${world.svc.loadBalancer.names[kind]}`]);
    await expectConverged(world);
  });

  it('rebuilds the whole chain in dependency order when everything is gone', async () => {
    const world = setup();
    for (const kind of [...RESOURCE_KINDS].reverse()) world.port.remove(kind, world.ref(kind));
    world.port.editService(world.serviceRef, { ingress: 'all' });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    const order = world.port.writes.map((w) => w.kind);
    expect(new Set(order.slice(0, 3))).toEqual(new Set(['service', 'address', 'neg']));
    expect(order.slice(3)).toEqual(['backendService', 'urlMap', 'targetProxy', 'forwardingRule']);
    // Compute stored the literal IP the address resolved to.
    expect(world.port.peek('forwardingRule', world.ref('forwardingRule'))!.IPAddress).toBe('10.0.0.100');
    await expectConverged(world);
  });

  it('re-attaches a NEG detached from the backend, keeping other backends', async () => {
    const world = setup();
    world.port.put(
      'neg',
      { ...world.ref('neg'), name: 'canary' },
      { name: 'canary', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'canary' } },
    );
    world.port.edit('backendService', world.ref('backendService'), { backends: [{ group: `${URL}/networkEndpointGroups/canary` }] });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(world.writes()).toEqual(['mutate backendService internal-lb-backend-svc']);
    const groups = world.port.peek('backendService', world.ref('backendService'))!.backends!.map((b) => b.group);
    expect(groups).toEqual([`${URL}/networkEndpointGroups/canary`, urlOf(world.svc, 'neg')]);
    await expectConverged(world);
  });

  it('points the URL map back at its backend', async () => {
    const world = setup();
    world.port.put('backendService', { ...world.ref('backendService'), name: 'other' }, { name: 'other' });
    world.port.edit('urlMap', world.ref('urlMap'), { defaultService: `${URL}/backendServices/other` });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(world.writes()).toEqual(['mutate urlMap internal-lb-url-map']);
    expect(world.port.peek('urlMap', world.ref('urlMap'))!.defaultService).toBe(urlOf(world.svc, 'backendService'));
    await expectConverged(world);
  });

  it('re-points the proxy and the forwarding rule, one level after the other', async () => {
    const world = setup();
    world.port.put('urlMap', { ...world.ref('urlMap'), name: 'other-map' }, { name: 'other-map' });
    world.port.put('targetProxy', { ...world.ref('targetProxy'), name: 'other-proxy' }, { name: 'other-proxy' });
    world.port.edit('targetProxy', world.ref('targetProxy'), { urlMap: `${URL}/urlMaps/other-map` });
    world.port.edit('forwardingRule', world.ref('forwardingRule'), { target: `${URL}/targetHttpProxies/other-proxy` });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(world.writes()).toEqual(['mutate targetProxy internal-lb-target-proxy', 'mutate forwardingRule internal-lb-frontend']);
    await expectConverged(world);
  });

  it('reports immutable drift and writes nothing without recreate', async () => {
    const world = setup();
    world.port.edit('neg', world.ref('neg'), { cloudRun: { service: 'someone-else' } });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('drift-detected');
    expect(outcome.reason).toMatch(/recreateOnImmutableDrift/);
    expect(outcome.remainingDrift).toEqual([expect.objectContaining({ type: 'immutable', kind: 'neg', field: 'cloudRun.service' })]);
    expect(world.port.writes).toEqual([]);
    expect(isRetryable(outcome)).toBe(false);
  });

  it('repairs the mutable part and still says the immutable drift remains', async () => {
    const world = setup();
    world.port.edit('forwardingRule', world.ref('forwardingRule'), { portRange: '8080' });
    world.port.editService(world.serviceRef, { ingress: 'all' });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('drift-detected');
    expect(world.writes()).toEqual(['setIngress service server-service']);
    expect(outcome.remainingDrift).toEqual([expect.objectContaining({ kind: 'forwardingRule', field: 'portRange' })]);
  });

  it('recreates a NEG with immutable drift when allowed: dependents deleted first, then rebuilt', async () => {
    const world = setup({ recreateOnImmutableDrift: true });
    world.port.edit('neg', world.ref('neg'), { cloudRun: { service: 'someone-else' } });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    // The fake refuses to delete anything still referenced, so this order is the only one that works.
    expect(world.port.writes.map((w) => `${w.call} ${w.kind}`)).toEqual([
      'delete forwardingRule',
      'delete targetProxy',
      'delete urlMap',
      'delete backendService',
      'delete neg',
      'insert neg',
      'insert backendService',
      'insert urlMap',
      'insert targetProxy',
      'insert forwardingRule',
    ]);
    expect(world.port.peek('neg', world.ref('neg'))!.cloudRun!.service).toBe('server-service');
    await expectConverged(world);
  });

  it('recreates an address on the wrong subnetwork together with the rule using its IP', async () => {
    const world = setup({ recreateOnImmutableDrift: true });
    world.port.edit('address', world.ref('address'), { subnetwork: `${URL}/subnetworks/other` });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(world.port.writes.map((w) => `${w.call} ${w.kind}`)).toEqual([
      'delete forwardingRule',
      'delete address',
      'insert address',
      'insert forwardingRule',
    ]);
    await expectConverged(world);
  });

  describe('pause annotation', () => {
    it('pauses until a future time: no writes', async () => {
      const world = setup();
      world.port.editService(world.serviceRef, { ingress: 'all', annotations: { [PAUSE_ANNOTATION]: '2026-11-25T13:00:00Z' } });
      const outcome = await world.reconcile();
      expect(outcome).toMatchObject({ status: 'paused', pausedUntil: '2026-11-25T13:00:00.000Z', writes: 0 });
      expect(outcome.plan.drift).toEqual([{ type: 'ingress', wanted: 'internal', found: 'all' }]);
      expect(world.port.writes).toEqual([]);
    });

    it.each([
      ['2026-11-25T11:00:00Z', 'INFO', 'expired'],
      ['next tuesday', 'WARNING', 'malformed'],
      ['2026-13-45T99:00:00Z', 'WARNING', 'malformed'],
    ])('does not pause for %s and logs %s', async (value, severity, why) => {
      const world = setup();
      world.port.editService(world.serviceRef, { ingress: 'all', annotations: { [PAUSE_ANNOTATION]: value } });
      expect((await world.reconcile()).status).toBe('repaired');
      expect(world.logger.records).toContainEqual(
        expect.objectContaining({ severity, message: expect.stringContaining(`ignoring ${why}`) }),
      );
    });
  });

  describe('dry-run', () => {
    it.each([
      ['policy.dryRun', { dryRun: true }, undefined],
      ['the per-call option', {}, { dryRun: true }],
    ])('plans and writes nothing under %s', async (_name, policy, options) => {
      const world = setup(policy);
      world.port.editService(world.serviceRef, { ingress: 'all' });
      world.port.remove('forwardingRule', world.ref('forwardingRule'));
      const outcome = await world.reconcile(options);
      expect(outcome).toMatchObject({ status: 'drift-detected', dryRun: true, writes: 0, steps: [] });
      expect(outcome.plan.levels.flat()).toHaveLength(2);
      expect(world.port.writes).toEqual([]);
    });

    it('cannot be switched off per call when policy says dry-run', async () => {
      const world = setup({ dryRun: true });
      world.port.editService(world.serviceRef, { ingress: 'all' });
      expect(await world.reconcile({ dryRun: false })).toMatchObject({ status: 'drift-detected', dryRun: true });
      expect(world.port.writes).toEqual([]);
    });

    it('reports in-sync when there is nothing to do', async () => {
      expect((await setup().reconcile({ dryRun: true })).status).toBe('in-sync');
    });
  });

  it('takes "already exists" from a racing twin as success', async () => {
    const world = setup();
    world.port.remove('urlMap', world.ref('urlMap'));
    const declared = { name: 'internal-lb-url-map', defaultService: urlOf(world.svc, 'backendService') };
    world.port.inject({ call: 'insert', kind: 'urlMap', before: () => world.port.put('urlMap', world.ref('urlMap'), declared) });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(outcome.steps).toEqual([expect.objectContaining({ status: 'already-exists', attempts: 1 })]);
    await expectConverged(world);
  });

  it('re-reads a stale fingerprint and retries once with the fresh one', async () => {
    const world = setup();
    world.port.edit('backendService', world.ref('backendService'), { localityLbPolicy: 'RANDOM' });
    // A rival writes in between our read and our patch: the fingerprint we hold goes stale.
    world.port.inject({
      call: 'mutate',
      before: () => world.port.edit('backendService', world.ref('backendService'), { sessionAffinity: 'CLIENT_IP' }),
    });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(outcome.steps).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })]);
    expect(world.port.writes.map((w) => w.result)).toEqual(['conflict', 'ok']);
    // The rebuilt patch covers what the rival changed too.
    expect(world.port.peek('backendService', world.ref('backendService'))).toMatchObject({
      localityLbPolicy: 'ROUND_ROBIN',
      sessionAffinity: 'NONE',
    });
    await expectConverged(world);
  });

  it('retries a stale etag on the service once, then gives up as retryable', async () => {
    const world = setup();
    world.port.editService(world.serviceRef, { ingress: 'all' });
    const rival = () => world.port.editService(world.serviceRef, { ingress: 'all' });
    world.port.inject({ call: 'setIngress', before: rival, times: 2 });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('failed');
    expect(outcome.steps).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 2, error: expect.objectContaining({ class: 'conflict' }) }),
    ]);
    expect(isRetryable(outcome)).toBe(true);
  });

  it('backs off transient errors with bounded full jitter, then succeeds', async () => {
    const world = setup();
    world.port.remove('address', world.ref('address'));
    world.port.inject({ call: 'insert', error: new GcpError('transient', 'rate limited', 8, 429), times: 2 });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    expect(outcome.steps).toEqual([expect.objectContaining({ status: 'done', attempts: 3 })]);
    expect(world.sleeps).toEqual([100, 200]); // random 0.5 × 200·2^(n-1)
  });

  it('stops after the bounded attempts on a persistent transient error and asks for redelivery', async () => {
    const world = setup();
    world.port.remove('address', world.ref('address'));
    world.port.inject({ call: 'insert', error: new GcpError('transient', 'backend unavailable', 14, 503), times: Infinity });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('failed');
    expect(outcome.steps).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 5, error: expect.objectContaining({ class: 'transient', code: 14 }) }),
    ]);
    expect(world.sleeps).toEqual([100, 200, 400, 800]);
    expect(world.port.writes).toHaveLength(5);
    expect(isRetryable(outcome)).toBe(true);
  });

  it('stops only the failed branch on a permanent error', async () => {
    const world = setup();
    for (const kind of [...RESOURCE_KINDS].reverse()) world.port.remove(kind, world.ref(kind));
    world.port.editService(world.serviceRef, { ingress: 'all' });
    world.port.inject({ call: 'insert', kind: 'address', error: new GcpError('permanent', 'org policy forbids', 9, 412), times: Infinity });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('failed');
    const status = Object.fromEntries(outcome.steps.map((s) => ['kind' in s.step ? s.step.kind : 'ingress', s.status]));
    expect(status).toEqual({
      ingress: 'done',
      address: 'failed',
      neg: 'done',
      backendService: 'done',
      urlMap: 'done',
      targetProxy: 'done',
      forwardingRule: 'not-run',
    });
    expect(outcome.remainingDrift.map((d) => d.type === 'missing' && d.kind)).toEqual(['address', 'forwardingRule']);
    expect(world.port.writes.filter((w) => w.kind === 'address')).toHaveLength(1);
    expect(isRetryable(outcome)).toBe(false);
  });

  it('stops everything downstream of a NEG that cannot be created', async () => {
    const world = setup();
    for (const kind of [...RESOURCE_KINDS].reverse()) world.port.remove(kind, world.ref(kind));
    world.port.inject({ call: 'insert', kind: 'neg', error: new GcpError('permanent', 'permission denied', 7, 403) });
    const outcome = await world.reconcile();
    expect(outcome.steps.map((s) => s.status)).toEqual(['done', 'failed', 'not-run', 'not-run', 'not-run', 'not-run']);
    expect(world.writes()).toEqual(['insert address internal-lb-ip', 'insert neg internal-lb-neg']);
  });

  it('reports a resource deleted under a mutation as drift for the next round', async () => {
    const world = setup();
    world.port.edit('urlMap', world.ref('urlMap'), { defaultService: `${URL}/backendServices/other` });
    world.port.inject({ call: 'mutate', before: () => world.port.remove('urlMap', world.ref('urlMap')) });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('failed');
    expect(outcome.steps[0]!.error).toMatchObject({ class: 'notFound', message: expect.stringContaining('next reconcile') });
    expect(outcome.remainingDrift).toEqual([{ type: 'missing', kind: 'urlMap', name: 'internal-lb-url-map' }]);
    expect(isRetryable(outcome)).toBe(false);
    expect((await world.reconcile()).status).toBe('repaired');
  });

  it('is not "repaired" when the verification read still shows drift', async () => {
    const world = setup();
    world.port.editService(world.serviceRef, { ingress: 'all' });
    world.port.inject({ call: 'setIngress', after: () => world.port.editService(world.serviceRef, { ingress: 'all' }) });
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/re-read still shows drift/);
    expect(outcome.remainingDrift).toEqual([{ type: 'ingress', wanted: 'internal', found: 'all' }]);
  });

  it('verifies by re-reading what the plan is about, not the parts it found in sync', async () => {
    const world = setup();
    world.port.remove('forwardingRule', world.ref('forwardingRule'));
    const outcome = await world.reconcile();
    expect(outcome.status).toBe('repaired');
    const insert = world.port.calls.findIndex((c) => c.call === 'insert');
    expect(world.port.calls.slice(insert + 1).map((c) => `${c.call} ${c.kind}`)).toEqual(['get forwardingRule']);
  });

  it('fails retryably when a read keeps failing transiently', async () => {
    const world = setup();
    world.port.inject({ call: 'get', kind: 'urlMap', error: new GcpError('transient', 'deadline exceeded', 4, 504), times: Infinity });
    const outcome = await world.reconcile();
    expect(outcome).toMatchObject({ status: 'failed', readError: { class: 'transient', code: 4 }, writes: 0 });
    expect(isRetryable(outcome)).toBe(true);
  });

  it('through admission, a burst of N concurrent calls for one key costs at most two runs', async () => {
    const world = setup();
    const admission = new Admission();
    world.port.editService(world.serviceRef, { ingress: 'all' });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    world.port.inject({ call: 'getService', delay: () => gate });
    const outcomes = Array.from({ length: 50 }, () => admission.run(world.svc.key, false, () => world.reconcile()));
    await new Promise((resolve) => setImmediate(resolve));
    open();
    const done = await Promise.all(outcomes);
    expect(new Set(done).size).toBe(2); // one Outcome per run
    expect(done[0]!.status).toBe('repaired');
    expect(new Set(done.slice(1))).toEqual(new Set([done[1]])); // followers share one Outcome
    expect(done[1]!.status).toBe('in-sync');
    expect(world.writes()).toEqual(['setIngress service server-service']);
  });

  it('opens the breaker after more than maxRepairs repairs in the window, and closes as it slides', async () => {
    const world = setup({ breaker: { maxRepairs: 3, windowSec: 600 } });
    const flap = () => world.port.editService(world.serviceRef, { ingress: 'all' });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      flap();
      statuses.push((await world.reconcile()).status);
      world.advance(60_000);
    }
    expect(statuses).toEqual(['repaired', 'repaired', 'repaired', 'breaker-open']);
    const open = await world.reconcile();
    expect(open.reason).toContain('breaker open: 3 repairs within 600s (limit 3)');
    expect(world.port.writes).toHaveLength(3);
    world.advance(7 * 60_000); // the first repair leaves the window
    expect((await world.reconcile()).status).toBe('repaired');
  });

  it('logs with the service key and the trigger insertId, and leaves the outcome line to the notifier', async () => {
    const world = setup();
    world.port.editService(world.serviceRef, { annotations: { 'mesh-remediator/paused-until': 'tomorrow' } });
    const trigger = {
      insertId: 'abc123',
      methodName: 'v1.compute.forwardingRules.delete',
      api: 'compute' as const,
      verb: 'delete',
      target: { kind: 'forwardingRule' as const, project: 'demo-project', region: 'asia-northeast1', name: 'internal-lb-frontend' },
    };
    const outcome: Outcome = await world.reconciler.reconcile(world.svc.key, { trigger });
    expect(outcome.trigger).toBe(trigger);
    expect(outcome.status).toBe('in-sync');
    expect(world.logger.records).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        serviceKey: world.svc.key,
        insertId: 'abc123',
        message: expect.stringContaining('ignoring malformed mesh-remediator/paused-until annotation'),
      }),
    ]);
  });

  it('rejects a key that is not declared, naming the declared ones', async () => {
    const world = setup();
    expect(world.reconciler.keys()).toEqual(['demo-project/asia-northeast1/server-service']);
    await expect(world.reconciler.reconcile('p/r/nope')).rejects.toThrow(
      'unknown service key "p/r/nope": not in the declared mesh (declared: demo-project/asia-northeast1/server-service)',
    );
  });
});
