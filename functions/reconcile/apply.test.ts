import { RESOURCE_KINDS } from '../config/mesh';
import { GcpError } from '../gcp/port';
import { applyPlan, type ApplyDeps } from './apply';
import { refOf } from './desired';
import type { Plan } from './model';
import { observe } from './observe';
import { planRepair } from './plan';
import { DEFAULT_RETRY } from './retry';
import { FakePort, demoService, seedDeclared } from '../../test/support/fake-port';

/** The n-th requestId, numbered for the assertions, shaped as the UUID Compute requires. */
const requestIdNo = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const svc = demoService();
const retry = { ...DEFAULT_RETRY, sleep: async () => undefined };

async function planFor(port: FakePort): Promise<Plan> {
  return planRepair(svc, await observe(port, svc, retry), { recreateOnImmutableDrift: false }, false);
}

function deps(port: FakePort, ids: string[] = []): ApplyDeps {
  let n = 0;
  return { port, retry, clock: () => 0, newRequestId: () => (ids.push(requestIdNo(++n)), requestIdNo(n)) };
}

describe('applyPlan', () => {
  it('runs independent steps concurrently and each step as soon as what it needs is done', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    for (const kind of ['urlMap', 'backendService', 'address', 'neg'] as const) port.remove(kind, refOf(svc, kind));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    port.inject({ call: 'insert', kind: 'address', delay: () => gate });
    const applying = applyPlan(svc, await planFor(port), deps(port));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The slow address holds up nothing on the NEG's branch.
    expect(port.writes.map((w) => w.kind)).toEqual(['address', 'neg', 'backendService', 'urlMap']);
    expect(port.writes[0]!.result).toBeUndefined(); // still in flight
    open();
    const applied = await applying;
    expect(applied.writes).toBe(4);
    expect(applied.results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('never starts a step before the steps it needs', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    for (const kind of ['backendService', 'neg'] as const) port.remove(kind, refOf(svc, kind));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    port.inject({ call: 'insert', kind: 'neg', delay: () => gate });
    const applying = applyPlan(svc, await planFor(port), deps(port));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(port.writes.map((w) => w.kind)).toEqual(['neg']);
    open();
    await applying;
    expect(port.writes.map((w) => w.kind)).toEqual(['neg', 'backendService']);
  });

  it('keeps the requestId across retries, so a retry after a lost response is a no-op', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    port.remove('urlMap', refOf(svc, 'urlMap'));
    port.inject({ call: 'insert', lostResponse: new GcpError('transient', 'connection reset', 14, 503) });
    const ids: string[] = [];
    const applied = await applyPlan(svc, await planFor(port), deps(port, ids));
    expect(ids).toEqual([requestIdNo(1)]);
    expect(applied.results).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })]);
    expect(port.writes.map((w) => w.result)).toEqual(['transient', 'ok']);
  });

  it('treats deleting something already gone as done', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    port.remove('forwardingRule', refOf(svc, 'forwardingRule'));
    const plan: Plan = { ...(await planFor(port)), levels: [[{ action: 'delete', kind: 'forwardingRule', name: 'internal-lb-frontend' }]] };
    const applied = await applyPlan(svc, plan, deps(port));
    expect(applied.results).toEqual([expect.objectContaining({ status: 'done' })]);
  });

  it('refuses a step that names anything outside the declaration', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    port.put('urlMap', { ...refOf(svc, 'urlMap'), name: 'not-ours' }, { name: 'not-ours' });
    const plan: Plan = {
      ...(await planFor(port)),
      levels: [
        [
          { action: 'delete', kind: 'urlMap', name: 'not-ours' },
          { action: 'setIngress', service: 'other-service', ingress: 'internal', etag: 'x' },
          {
            action: 'mutate',
            kind: 'urlMap',
            name: 'internal-lb-url-map',
            mutation: { kind: 'urlMap', method: 'patch', ref: { ...refOf(svc, 'urlMap'), name: 'not-ours' }, fingerprint: 'x', fields: {} },
          },
        ],
      ],
    };
    const applied = await applyPlan(svc, plan, deps(port));
    expect(applied.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(applied.results[0]!.error!.message).toMatch(
      /^refused: urlMap demo-project\/asia-northeast1\/not-ours is not the declared urlMap/,
    );
    expect(port.writes).toEqual([]);
    expect(RESOURCE_KINDS.every((kind) => port.peek(kind, refOf(svc, kind)))).toBe(true);
  });
});
