import { RESOURCE_KINDS } from '../config/mesh';
import { GcpError } from '../gcp/port';
import { applyPlan, type ApplyDeps } from './apply';
import { refOf } from './desired';
import type { Plan } from './model';
import { observe } from './observe';
import { planRepair } from './plan';
import { DEFAULT_RETRY } from './retry';
import { FakePort, demoService, seedDeclared } from '../../test/support/fake-port';

const svc = demoService();
const retry = { ...DEFAULT_RETRY, sleep: async () => undefined };

async function planFor(port: FakePort): Promise<Plan> {
  return planRepair(svc, await observe(port, svc, retry), { recreateOnImmutableDrift: false }, false);
}

function deps(port: FakePort, ids: string[] = []): ApplyDeps {
  let n = 0;
  return { port, retry, clock: () => 0, newRequestId: () => (ids.push(`req-${++n}`), `req-${n}`) };
}

describe('applyPlan', () => {
  it('runs the steps of one level concurrently and the next level only after', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    port.remove('backendService', refOf(svc, 'backendService'));
    port.remove('address', refOf(svc, 'address'));
    port.remove('neg', refOf(svc, 'neg'));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    port.inject({ call: 'insert', kind: 'address', delay: () => gate });
    const applying = applyPlan(svc, await planFor(port), deps(port));
    await new Promise((resolve) => setImmediate(resolve));
    // The NEG insert did not wait for the address; the backend waits for the whole level.
    expect(port.writes.map((w) => w.kind)).toEqual(['address', 'neg']);
    open();
    const applied = await applying;
    expect(port.writes.map((w) => w.kind)).toEqual(['address', 'neg', 'backendService']);
    expect(applied.writes).toBe(3);
  });

  it('keeps the requestId across retries, so a retry after a lost response is a no-op', async () => {
    const port = new FakePort();
    seedDeclared(port, svc);
    port.remove('urlMap', refOf(svc, 'urlMap'));
    port.inject({ call: 'insert', lostResponse: new GcpError('transient', 'connection reset', 14, 503) });
    const ids: string[] = [];
    const applied = await applyPlan(svc, await planFor(port), deps(port, ids));
    expect(ids).toEqual(['req-1']);
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
          { action: 'mutate', kind: 'urlMap', name: 'internal-lb-url-map', mutation: { kind: 'urlMap', method: 'patch', ref: { ...refOf(svc, 'urlMap'), name: 'not-ours' }, fingerprint: 'x', fields: {} } },
        ],
      ],
    };
    const applied = await applyPlan(svc, plan, deps(port));
    expect(applied.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(applied.results[0]!.error!.message).toMatch(/^refused: urlMap demo-project\/asia-northeast1\/not-ours is not the declared urlMap/);
    expect(port.writes).toEqual([]);
    expect(RESOURCE_KINDS.every((kind) => port.peek(kind, refOf(svc, kind)))).toBe(true);
  });
});
