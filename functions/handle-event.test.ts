import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GcpError } from './gcp/port';
import { memoryLogger } from './log';
import { Runtime } from './runtime';
import { handleEvent, RETRY_WINDOW_MS, RetryableFailure, tooOldToRetry } from './handle-event';
import { computeEntry, runEntry } from '../test/fixtures/events';
import { demoService, FakePort, seedDeclared } from '../test/support/fake-port';

function meshFile(): string {
  const svc = demoService();
  const path = join(mkdtempSync(join(tmpdir(), 'mesh-')), 'mesh.json');
  const { project, region, service, ingress, loadBalancer } = svc;
  writeFileSync(path, JSON.stringify({ services: [{ project, region, service, ingress, loadBalancer: { ...loadBalancer, names: {} } }] }));
  return path;
}

test('a delivery that failed transiently is retried by Pub/Sub and then reconciled, not skipped as a duplicate', async () => {
  const svc = demoService();
  const port = new FakePort();
  seedDeclared(port, svc);
  port.remove('forwardingRule', { project: svc.project, region: svc.region, name: svc.loadBalancer.names.forwardingRule });
  // Every read of the service fails as 503 until the retry budget is spent, once.
  port.inject({ call: 'getService', error: new GcpError('transient', 'getService: 503 backend unavailable', 14, 503), times: 5 });
  const logger = memoryLogger();
  const runtime = new Runtime({ env: { MESH_CONFIG: meshFile(), SELF_PRINCIPAL: 'self@example.com' }, logger, port });
  const entry = { ...computeEntry(), timestamp: new Date().toISOString() }; // the forwarding rule's delete, `operation.last`, just now

  await expect(handleEvent(entry, runtime)).rejects.toBeInstanceOf(RetryableFailure);
  expect(port.writes).toHaveLength(0);

  const outcomes = await handleEvent(entry, runtime);
  expect(outcomes.map((o) => o.status)).toEqual(['repaired']);
  expect(port.writes.map((w) => `${w.call} ${w.kind}`)).toEqual(['insert forwardingRule']);

  // A third delivery of the same operation is a true duplicate now.
  expect(await handleEvent(entry, runtime)).toEqual([]);
  expect(logger.records.some((r) => r.skipReason === 'duplicate-operation')).toBe(true);
}, 30_000);

test('a burst of events for one service, delivered in waves, costs at most two reconciles and one write', async () => {
  const svc = demoService();
  const port = new FakePort();
  seedDeclared(port, svc);
  port.editService({ project: svc.project, region: svc.region, service: svc.service }, { ingress: 'all' });
  const logger = memoryLogger();
  const runtime = new Runtime({ env: { MESH_CONFIG: meshFile(), SELF_PRINCIPAL: 'self@example.com' }, logger, port });
  const changedAt = new Date(Date.now() - 1000).toISOString();
  const events = Array.from({ length: 200 }, (_, i) => ({ ...runEntry(), insertId: `burst-${i}`, timestamp: changedAt }));

  // Pub/Sub pushes 20 at a time and sends the next ones as answers come back.
  for (let wave = 0; wave < events.length; wave += 20) {
    await Promise.all(events.slice(wave, wave + 20).map((e) => handleEvent(e, runtime)));
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
  const logger = memoryLogger();
  const runtime = new Runtime({ env: { MESH_CONFIG: meshFile(), SELF_PRINCIPAL: 'self@example.com' }, logger, port });
  const old = { ...computeEntry(), insertId: 'old-change', timestamp: new Date(Date.now() - RETRY_WINDOW_MS - 60_000).toISOString() };

  const outcomes = await handleEvent(old, runtime);
  expect(outcomes.map((o) => o.status)).toEqual(['failed']);
  expect(logger.records).toContainEqual(expect.objectContaining({ severity: 'ALERT', insertId: 'old-change', retry: false }));
  expect(tooOldToRetry(new Date().toISOString(), Date.now())).toBe(false);
  expect(tooOldToRetry(undefined, Date.now())).toBe(false);
}, 30_000);
