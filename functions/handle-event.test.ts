import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, loadConfig, type Deps } from './composition-root';
import { RETRY_WINDOW_MS, tooOldToRetry } from './delivery';
import { GcpError } from './gcp/port';
import { handleEvent } from './handle-event';
import { asMessage, computeEntry, runEntry } from '../test/fixtures/events';
import { demoService, FakePort, seedDeclared } from '../test/support/fake-port';

function meshFile(text?: string): string {
  const svc = demoService();
  const path = join(mkdtempSync(join(tmpdir(), 'mesh-')), 'mesh.json');
  const { project, region, service, ingress, loadBalancer } = svc;
  writeFileSync(
    path,
    text ?? JSON.stringify({ services: [{ project, region, service, ingress, loadBalancer: { ...loadBalancer, names: {} } }] }),
  );
  return path;
}

/** The function's dependencies over a FakePort, its log lines kept as records. */
function setup(port: FakePort, env: NodeJS.ProcessEnv = {}): { deps: Deps; logger: { records: Array<Record<string, unknown>> } } {
  const records: Array<Record<string, unknown>> = [];
  const config = loadConfig({ MESH_CONFIG: meshFile(), SELF_PRINCIPAL: 'self@example.com', ...env });
  const deps = compose(config, { port, write: (line) => records.push(JSON.parse(line) as Record<string, unknown>) });
  return { deps, logger: { records } };
}

test('a delivery that failed transiently is retried by Pub/Sub and then reconciled, not skipped as a duplicate', async () => {
  const svc = demoService();
  const port = new FakePort();
  seedDeclared(port, svc);
  port.remove('forwardingRule', { project: svc.project, region: svc.region, name: svc.loadBalancer.names.forwardingRule });
  // Every read of the service fails as 503 until the retry budget is spent, once.
  port.inject({ call: 'getService', error: new GcpError('transient', 'getService: 503 backend unavailable', 14, 503), times: 5 });
  const { deps, logger } = setup(port);
  const entry = { ...computeEntry(), timestamp: new Date().toISOString() }; // the forwarding rule's delete, `operation.last`, just now

  expect((await handleEvent(entry, deps)).delivery).toMatchObject({
    action: 'redeliver',
    reason: expect.stringContaining('transient failure'),
  });
  expect(port.writes).toHaveLength(0);

  const { outcomes, delivery } = await handleEvent(entry, deps);
  expect(delivery).toEqual({ action: 'ack' });
  expect(outcomes.map((o) => o.status)).toEqual(['repaired']);
  expect(port.writes.map((w) => `${w.call} ${w.kind}`)).toEqual(['insert forwardingRule']);

  // A third delivery of the same operation is a true duplicate now.
  expect(await handleEvent(entry, deps)).toMatchObject({ delivery: { action: 'ack' }, outcomes: [] });
  expect(logger.records.some((r) => r.skipReason === 'duplicate-operation')).toBe(true);
}, 30_000);

test('a burst of events for one service, delivered in waves, costs at most two reconciles and one write', async () => {
  const svc = demoService();
  const port = new FakePort();
  seedDeclared(port, svc);
  port.editService({ project: svc.project, region: svc.region, service: svc.service }, { ingress: 'all' });
  const { deps, logger } = setup(port);
  const changedAt = new Date(Date.now() - 1000).toISOString();
  const events = Array.from({ length: 200 }, (_, i) => ({ ...runEntry(), insertId: `burst-${i}`, timestamp: changedAt }));

  // Pub/Sub pushes 20 at a time and sends the next ones as answers come back.
  for (let wave = 0; wave < events.length; wave += 20) {
    await Promise.all(events.slice(wave, wave + 20).map((e) => handleEvent(e, deps)));
  }

  // Events that joined a run share its Outcome: it is told once per reconcile (one outcome line), not per event.
  const reconciles = logger.records.filter((r) => r.event === 'mesh-remediator.outcome');
  expect(reconciles.length).toBeGreaterThanOrEqual(1);
  expect(reconciles.length).toBeLessThanOrEqual(2);
  // Counted apart from the log: a repairing run reads the service twice (before and to verify), a follow-up once.
  expect(port.calls.filter((c) => c.call === 'getService').length).toBeLessThanOrEqual(3);
  expect(port.writes.map((w) => w.call)).toEqual(['setIngress']);
  expect(logger.records.filter((r) => r.skipReason === 'already-verified').length).toBeGreaterThan(150);
});

test('a change older than the retry window that still fails transiently is acknowledged with an ALERT, not retried', async () => {
  const svc = demoService();
  const port = new FakePort();
  seedDeclared(port, svc);
  port.inject({ call: 'getService', error: new GcpError('transient', 'getService: 429 quota exhausted', 8, 429), times: Infinity });
  const { deps, logger } = setup(port);
  const old = { ...computeEntry(), insertId: 'old-change', timestamp: new Date(Date.now() - RETRY_WINDOW_MS - 60_000).toISOString() };

  const { outcomes, delivery } = await handleEvent(old, deps);
  expect(delivery).toMatchObject({ action: 'ack', alert: expect.stringContaining('older than 30 min') });
  expect(outcomes.map((o) => o.status)).toEqual(['failed']);
  expect(logger.records).toContainEqual(expect.objectContaining({ severity: 'ALERT', insertId: 'old-change', retry: false }));
  expect(tooOldToRetry(new Date().toISOString(), Date.now())).toBe(false);
  expect(tooOldToRetry(undefined, Date.now())).toBe(false);
}, 30_000);

describe('while the configuration is unusable', () => {
  const BROKEN: Array<[string, NodeJS.ProcessEnv]> = [
    ['DRY_RUN=maybe', { DRY_RUN: 'maybe' }],
    ['no mesh file', { MESH_CONFIG: '/nonexistent/mesh.yaml' }],
    ['a YAML syntax error', { MESH_CONFIG: meshFile('services: [\n  - project: "unterminated\n') }],
  ];

  test.each(BROKEN)('%s: irrelevant input is still acknowledged, reading nothing', async (_, env) => {
    const port = new FakePort();
    const { deps, logger } = setup(port, env);
    expect(deps.configuration.usable).toBe(false);
    const unhandled = runEntry();
    unhandled.protoPayload.methodName = 'v1.compute.instances.insert';
    for (const input of ['garbage', unhandled, asMessage(unhandled)])
      expect((await handleEvent(input, deps)).delivery).toEqual({ action: 'ack' });
    expect(port.calls).toHaveLength(0);
    expect(logger.records.filter((r) => r.severity === 'ALERT')).toEqual([]);
  });

  test.each(BROKEN)('%s: an event it cannot judge is redelivered, however old, with one ALERT per minute', async (_, env) => {
    const port = new FakePort();
    const { deps, logger } = setup(port, env);
    let now = Date.parse('2026-11-29T12:00:00Z');
    const clock = () => now;
    // 1 h 45 min old: past the retry window, which is for Google's transient failures, not ours.
    const old = { ...computeEntry(), timestamp: new Date(now - 105 * 60_000).toISOString() };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await handleEvent({ ...old, insertId: `old-${i}` }, deps, clock));
    now += 61_000;
    results.push(await handleEvent(runEntry(), deps, clock));

    expect(results.map((r) => r.delivery.action)).toEqual(Array(6).fill('redeliver'));
    expect(results[0]!.delivery).toMatchObject({ reason: expect.stringMatching(/^configuration unusable: /) });
    const alerts = logger.records.filter((r) => r.severity === 'ALERT');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ event: 'mesh-remediator.config-error', redelivered: 1 });
    expect(alerts[1]).toMatchObject({ event: 'mesh-remediator.config-error', redelivered: 5 });
    expect(logger.records.filter((r) => r.severity === 'ERROR')).toEqual([]);
    expect(port.calls).toHaveLength(0);
  });

  test('redelivered operation entries are taken up once the configuration works (a fresh instance)', async () => {
    const port = new FakePort();
    seedDeclared(port, demoService());
    const broken = setup(port, { DRY_RUN: 'maybe' });
    const entry = { ...computeEntry(), timestamp: new Date().toISOString() };
    expect((await handleEvent(entry, broken.deps)).delivery.action).toBe('redeliver');
    const fixed = setup(port);
    expect(await handleEvent(entry, fixed.deps)).toMatchObject({ delivery: { action: 'ack' }, outcomes: [{ status: 'in-sync' }] });
  });
});
