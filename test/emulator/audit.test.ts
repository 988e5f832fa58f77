// Audit entries the emulator writes: real-shaped LogEntries (first/last pairs for operations,
// one ERROR entry for a refused call), the principal from the caller's token, and delivery to
// listeners, to a Pub/Sub push endpoint and to a topic on the real Pub/Sub emulator.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
// Each client from its own module, as functions/gcp/clients.ts loads them: the package barrel loads
// every client of three API versions and the 31 MB generated protos.js, seconds of CPU per suite.
import { ForwardingRulesClient } from '@google-cloud/compute/build/src/v1/forwarding_rules_client';
import { RegionOperationsClient } from '@google-cloud/compute/build/src/v1/region_operations_client';
import { RegionNetworkEndpointGroupsClient } from '@google-cloud/compute/build/src/v1/region_network_endpoint_groups_client';
import { v2 } from '@google-cloud/run';
import { startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator';
import { pubSubTest } from '../support/pubsub-test';
import type { Json } from './json';
import { startEmulator, type Emulator, type LogEntry } from './index';
import { clientOptions } from './test-clients';
import { demoMesh } from './test-mesh';
import { PROJECT, REGION } from '../support/identity';

const project = PROJECT;
const region = REGION;
const at = { project, region };
const RULE = `projects/${project}/regions/${region}/forwardingRules/internal-lb-frontend`;
const SERVICE = `projects/${project}/locations/${region}/services/server-service`;
const BOB = 'bob@example.com';

/** A local Pub/Sub push endpoint that keeps every envelope it receives. */
async function pushSink(): Promise<{ url: string; envelopes: Json[]; failNext: number; close(): Promise<void> }> {
  const envelopes: Json[] = [];
  const sink = { failNext: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      envelopes.push(JSON.parse(Buffer.concat(chunks).toString()));
      if (sink.failNext > 0) {
        sink.failNext -= 1;
        res.writeHead(500).end();
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}/push`,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe('entries', () => {
  let emulator: Emulator;
  let sink: Awaited<ReturnType<typeof pushSink>>;
  let rules: ForwardingRulesClient;
  let negs: RegionNetworkEndpointGroupsClient;
  let operations: RegionOperationsClient;
  let run: v2.ServicesClient;

  beforeAll(async () => {
    sink = await pushSink();
    emulator = await startEmulator({
      seed: demoMesh(),
      operationDelayMs: 30,
      auditPushUrl: sink.url,
      defaultPrincipal: 'carol@example.com',
    });
    rules = new ForwardingRulesClient(clientOptions(emulator, BOB));
    negs = new RegionNetworkEndpointGroupsClient(clientOptions(emulator, BOB));
    operations = new RegionOperationsClient(clientOptions(emulator, BOB));
    run = new v2.ServicesClient({ fallback: true, ...clientOptions(emulator, BOB) });
  });
  afterAll(async () => {
    await Promise.all([rules.close(), negs.close(), operations.close(), run.close()]);
    await emulator.stop();
    await sink.close();
  });
  beforeEach(async () => {
    emulator.reset();
    await emulator.audit.flush(); // deliveries still under way from the previous test
    sink.envelopes.length = 0;
  });

  test('seeding writes no audit entries', () => {
    expect(emulator.audit.entries).toEqual([]);
  });

  test('a compute delete writes an operation.first entry at the call and an operation.last entry when it completes', async () => {
    emulator.faults.set({ operationDelayMs: 400 });
    const [deletion] = await rules.delete({ ...at, forwardingRule: 'internal-lb-frontend' });
    expect(emulator.audit.entries).toHaveLength(1);
    await operations.wait({ ...at, operation: String(deletion.name) });
    const [first, last] = emulator.audit.entries as [LogEntry, LogEntry];
    const opName = (deletion.latestResponse as { name: string }).name;
    expect(first).toMatchObject({
      logName: `projects/${project}/logs/cloudaudit.googleapis.com%2Factivity`,
      severity: 'NOTICE',
      operation: { id: opName, producer: 'compute.googleapis.com', first: true },
      resource: { type: 'gce_forwarding_rule', labels: { project_id: project, region } },
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        serviceName: 'compute.googleapis.com',
        methodName: 'v1.compute.forwardingRules.delete',
        resourceName: RULE,
        authenticationInfo: { principalEmail: BOB },
        request: { '@type': 'type.googleapis.com/compute.forwardingRules.delete' },
        response: { '@type': 'type.googleapis.com/operation', status: 'RUNNING', name: opName, user: BOB },
      },
    });
    expect(first.resource.labels.forwarding_rule_id).toMatch(/^\d{19}$/);
    expect(last).toMatchObject({ operation: { id: opName, producer: 'compute.googleapis.com', last: true }, severity: 'NOTICE' });
    expect(last.protoPayload.methodName).toBe('v1.compute.forwardingRules.delete');
    expect(last.protoPayload.response).toBeUndefined();
    expect(last.protoPayload.status).toBeUndefined();
    expect(first.insertId).not.toBe(last.insertId);
    expect(Date.parse(last.timestamp)).toBeGreaterThanOrEqual(Date.parse(first.timestamp));
  });

  test('a refused call writes one ERROR entry with a non-zero status and no operation', async () => {
    const neg = { name: 'internal-lb-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } };
    await expect(
      negs.insert({ ...at, networkEndpointGroupResource: neg, requestId: 'e0e0e0e0-0000-4000-8000-000000000001' }),
    ).rejects.toMatchObject({ code: 10 });
    expect(emulator.audit.entries).toHaveLength(1);
    const [entry] = emulator.audit.entries as [LogEntry];
    expect(entry).toMatchObject({
      severity: 'ERROR',
      protoPayload: {
        methodName: 'v1.compute.regionNetworkEndpointGroups.insert',
        resourceName: `projects/${project}/regions/${region}/networkEndpointGroups/internal-lb-neg`,
        status: { code: 6, message: expect.stringContaining('already exists') },
        request: { name: 'internal-lb-neg', requestId: 'e0e0e0e0-0000-4000-8000-000000000001' },
      },
    });
    expect(entry.operation).toBeUndefined();
    expect(emulator.writes()).toBe(0);
  });

  test('a Cloud Run v2 update is audited with the requested ingress (as a name) and the update mask', async () => {
    const [service] = await run.getService({ name: SERVICE });
    const [operation] = await run.updateService({
      service: { name: SERVICE, ingress: 1, etag: service.etag },
      updateMask: { paths: ['ingress'] },
    });
    await operation.promise();
    const [first, last] = emulator.audit.entries as [LogEntry, LogEntry];
    expect(first).toMatchObject({
      operation: { id: operation.name, producer: 'run.googleapis.com', first: true },
      resource: { type: 'cloud_run_revision', labels: { project_id: project, location: region, service_name: 'server-service' } },
      protoPayload: {
        serviceName: 'run.googleapis.com',
        methodName: 'google.cloud.run.v2.Services.UpdateService',
        resourceName: SERVICE,
        authenticationInfo: { principalEmail: BOB },
        request: {
          '@type': 'type.googleapis.com/google.cloud.run.v2.UpdateServiceRequest',
          service: { name: SERVICE, ingress: 'INGRESS_TRAFFIC_ALL' },
          updateMask: 'ingress',
        },
      },
    });
    expect(last.operation).toEqual({ id: operation.name, producer: 'run.googleapis.com', last: true });
  });

  test('a caller without a principal token is the default user', async () => {
    await fetch(`${emulator.url}/compute/v1/${RULE}`, { method: 'DELETE' });
    expect(emulator.audit.entries[0]?.protoPayload.authenticationInfo.principalEmail).toBe('carol@example.com');
    await fetch(`${emulator.url}/compute/v1/projects/${project}/regions/${region}/urlMaps/internal-lb-url-map`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer principal:dave@example.com' },
    });
    const urlMapEntry = emulator.audit.entries.find((e) => e.protoPayload.methodName === 'v1.compute.regionUrlMaps.delete');
    expect(urlMapEntry?.protoPayload.authenticationInfo.principalEmail).toBe('dave@example.com');
    expect(urlMapEntry?.protoPayload.status.message).toContain('is already being used by'); // still referenced by the proxy
  });

  test('listeners see each entry as it is written and can unsubscribe', async () => {
    const seen: string[] = [];
    const off = emulator.audit.on((entry) => seen.push(entry.protoPayload.methodName));
    await fetch(`${emulator.url}/compute/v1/${RULE}`, { method: 'DELETE' });
    off();
    await fetch(`${emulator.url}/compute/v1/${RULE}`, { method: 'DELETE' });
    expect(seen).toEqual(['v1.compute.forwardingRules.delete']);
  });

  test('entries arrive at the push endpoint as Pub/Sub push envelopes, in order', async () => {
    const [deletion] = await rules.delete({ ...at, forwardingRule: 'internal-lb-frontend' });
    await operations.wait({ ...at, operation: String(deletion.name) });
    await emulator.audit.flush();
    expect(sink.envelopes).toHaveLength(2);
    const decoded = sink.envelopes.map((e) => JSON.parse(Buffer.from(e.message.data, 'base64').toString()));
    expect(decoded).toEqual(emulator.audit.entries);
    const [envelope] = sink.envelopes;
    expect(envelope).toMatchObject({
      subscription: `projects/${project}/subscriptions/emulator-audit-push`,
      message: { attributes: { 'logging.googleapis.com/timestamp': decoded[0].timestamp } },
    });
    expect(envelope?.message.messageId).toBe(envelope?.message.message_id);
    expect(envelope?.message.publishTime).toBe(envelope?.message.publish_time);
    expect(emulator.audit.deliveryErrors).toEqual([]);
  });

  test('a push the endpoint refuses is redelivered, same message id, like a push subscription', async () => {
    sink.failNext = 2;
    await fetch(`${emulator.url}/compute/v1/${RULE}`, { method: 'DELETE', headers: { authorization: 'Bearer principal:x@example.com' } });
    await emulator.audit.flush();
    const ids = sink.envelopes.map((e) => e.message.messageId as string);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[1]).toBe(ids[2]);
    expect(emulator.audit.deliveryErrors).toEqual([]);
  });
});

describe('topic delivery through the real Pub/Sub emulator', () => {
  let pubsubEmulator: PubSubEmulator | null = null;
  let savedHost: string | undefined;

  beforeAll(async () => {
    pubsubEmulator = await startPubSubEmulator();
    savedHost = process.env.PUBSUB_EMULATOR_HOST;
    if (pubsubEmulator) process.env.PUBSUB_EMULATOR_HOST = pubsubEmulator.host;
  }, 90_000);
  afterAll(async () => {
    if (savedHost === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
    else process.env.PUBSUB_EMULATOR_HOST = savedHost;
    await pubsubEmulator?.stop();
  });

  pubSubTest()(
    'each entry is published to the audit topic',
    async () => {
      const pubsub = new PubSub({ projectId: project });
      const [topic] = await pubsub.createTopic('emulator-audit');
      const [subscription] = await topic.createSubscription('emulator-audit-test');
      const emulator = await startEmulator({
        seed: demoMesh(),
        operationDelayMs: 0,
        auditTopic: `projects/${project}/topics/emulator-audit`,
      });
      try {
        const received: LogEntry[] = [];
        const both = new Promise<void>((resolve) => {
          subscription.on('message', (message) => {
            message.ack();
            received.push(JSON.parse(message.data.toString()) as LogEntry);
            expect(message.attributes['logging.googleapis.com/timestamp']).toBeTruthy();
            if (received.length === 2) resolve();
          });
        });
        await fetch(`${emulator.url}/compute/v1/${RULE}`, { method: 'DELETE' });
        await both;
        expect(received.map((e) => e.insertId).sort()).toEqual(emulator.audit.entries.map((e) => e.insertId).sort());
        expect(emulator.audit.deliveryErrors).toEqual([]);
      } finally {
        await emulator.stop();
        await subscription.close();
        await pubsub.close();
      }
    },
    60_000,
  );

  test('an audit topic without PUBSUB_EMULATOR_HOST is refused with a clear error', async () => {
    const saved = process.env.PUBSUB_EMULATOR_HOST;
    delete process.env.PUBSUB_EMULATOR_HOST;
    try {
      await expect(startEmulator({ auditTopic: 'projects/p/topics/audit' })).rejects.toThrow('needs PUBSUB_EMULATOR_HOST');
      await expect(startEmulator({ auditTopic: 'audit' })).rejects.toThrow('projects/PROJECT/topics/TOPIC');
    } finally {
      if (saved !== undefined) process.env.PUBSUB_EMULATOR_HOST = saved;
    }
  });
});
