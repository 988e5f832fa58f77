// Shard messages of an org-wide sweep: one per (project, region), read back strictly, and the
// shard entry reconciling exactly its shard (against the fake port, no Pub/Sub needed here; the
// bench drives the whole path through the real Pub/Sub emulator).
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refOf } from './reconcile/desired';
import { composeCli, loadConfig } from './composition-root';
import { handleShardEvent, parseShardMessage, shardMessages } from './sweep-fanout';
import { joinSummaries, shardsOf } from './sweep';
import { FakePort, demoService, seedDeclared } from '../test/support/fake-port';
import { GcpError } from './gcp/port';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

describe('shard messages', () => {
  it('one per project-region, sharing a sweep id, read back as sent', () => {
    const services = [
      demoService({ service: 'a' }),
      { ...demoService({ service: 'b' }), region: 'europe-west1' },
      demoService({ service: 'c' }),
    ];
    const messages = shardMessages(shardsOf(services), { dryRun: true });
    expect(messages.map((m) => `${m.project}/${m.region}`)).toEqual(['demo-project/asia-northeast1', 'demo-project/europe-west1']);
    expect(new Set(messages.map((m) => m.sweepId)).size).toBe(1);
    for (const m of messages) expect(parseShardMessage(b64(m))).toEqual(m);
  });

  it('refuses anything else with the reason', () => {
    expect(() => parseShardMessage(undefined)).toThrow(/no data/);
    expect(() => parseShardMessage(b64('nope'))).toThrow(/not JSON/);
    expect(() => parseShardMessage(b64({ schemaVersion: 2, project: 'p', region: 'r', sweepId: 's', dryRun: false }))).toThrow(
      /schemaVersion must be 1/,
    );
    expect(() => parseShardMessage(b64({ schemaVersion: 1, region: 'r', sweepId: 's', dryRun: 'no' }))).toThrow(
      /project must be a non-empty string; dryRun must be true or false/,
    );
  });
});

describe('the shard entry', () => {
  const a = demoService({ service: 'svc-a', namePrefix: 'svc-a-lb', ipAddress: '10.0.1.1' });
  const inEurope = demoService({ service: 'svc-b', namePrefix: 'svc-b-lb', ipAddress: '10.0.1.2' });
  const b = {
    ...inEurope,
    region: 'europe-west1',
    key: 'demo-project/europe-west1/svc-b',
    loadBalancer: { ...inEurope.loadBalancer, subnetwork: 'projects/demo-project/regions/europe-west1/subnetworks/test-subnet' },
  };

  function setup() {
    const port = new FakePort();
    seedDeclared(port, a);
    seedDeclared(port, b);
    const dir = mkdtempSync(join(tmpdir(), 'fanout-'));
    const mesh = (s: typeof a) => ({
      project: s.project,
      region: s.region,
      service: s.service,
      ingress: 'internal',
      loadBalancer: {
        namePrefix: s.loadBalancer.namePrefix,
        network: s.loadBalancer.network,
        subnetwork: s.loadBalancer.subnetwork,
        ipAddress: s.loadBalancer.ipAddress,
        port: 80,
      },
    });
    writeFileSync(join(dir, 'mesh.json'), JSON.stringify({ services: [mesh(a), mesh(b)] }));
    const runtime = composeCli(loadConfig({ MESH_CONFIG: join(dir, 'mesh.json'), SELF_PRINCIPAL: 'self@example.com' }), {
      port,
      write: () => undefined,
    });
    const event = (region: string) => ({
      message: { data: b64({ schemaVersion: 1, sweepId: 'sweep-1', project: 'demo-project', region, dryRun: false }) },
    });
    return { port, runtime, event };
  }

  it('reconciles only its shard, from one list per kind', async () => {
    const { port, runtime, event } = setup();
    port.remove('forwardingRule', refOf(a, 'forwardingRule'));
    const report = await handleShardEvent(event('asia-northeast1'), runtime);
    expect(report).toMatchObject({
      sweepId: 'sweep-1',
      region: 'asia-northeast1',
      summary: { services: 1, byStatus: { repaired: 1 }, errors: [] },
    });
    expect(port.calls.filter((c) => c.call === 'list' || c.call === 'listServices').map((c) => c.name)).toEqual(
      Array(7).fill('demo-project/asia-northeast1'),
    );
    expect(port.writes.map((w) => `${w.call} ${w.name}`)).toEqual(['insert svc-a-lb-frontend']);
  });

  it('a shard no declared service is in (the mesh changed since it was published): reported empty, nothing listed', async () => {
    const { port, runtime, event } = setup();
    const report = await handleShardEvent(event('us-central1'), runtime);
    expect(report).toMatchObject({ region: 'us-central1', summary: { services: 0, byStatus: {}, errors: [] } });
    expect(port.calls).toEqual([]);
  });

  it('throws (Pub/Sub redelivers) when a service of the shard failed transiently', async () => {
    const { port, runtime, event } = setup();
    port.remove('forwardingRule', refOf(b, 'forwardingRule'));
    port.inject({ call: 'insert', error: new GcpError('transient', 'backend error', 14, 503), times: Infinity });
    await expect(handleShardEvent(event('europe-west1'), runtime)).rejects.toThrow(
      /europe-west1 of sweep-1: 1 service\(s\) to retry \(demo-project\/europe-west1\/svc-b\)/,
    );
  });

  it('acknowledges a message that is not a shard, with an ERROR line', async () => {
    const { runtime } = setup();
    await expect(handleShardEvent({ message: { data: b64('{}') } }, runtime)).resolves.toBeUndefined();
  });

  it("joins shards' summaries into the sweep's", () => {
    const joined = joinSummaries(
      [
        { services: 2, byStatus: { 'in-sync': 2 }, errors: [], durationMs: 5 },
        { services: 3, byStatus: { 'in-sync': 1, repaired: 2 }, errors: [{ serviceKey: 'k', message: 'm' }], durationMs: 9 },
      ],
      12,
    );
    expect(joined).toEqual({
      services: 5,
      byStatus: { 'in-sync': 3, repaired: 2 },
      errors: [{ serviceKey: 'k', message: 'm' }],
      durationMs: 12,
    });
  });
});
