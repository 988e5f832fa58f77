// Org-wide sweeps on Pub/Sub: the `sweep` entry, when SWEEP_TOPIC is set, publishes one message
// per (project, region) shard and returns; a push subscription (deploy/terraform/sweep-fanout.tf)
// posts each message back to the `sweep` entry, on whichever instance Cloud Run's autoscaling
// picks (no scheduler of our own). A shard that fails throws, so Pub/Sub redelivers it and, after the subscription's
// attempts, dead-letters it like any event. Each shard publishes its summary on REPORT_TOPIC
// (through the instance's report client, notify/notifier.ts);
// the sweep's summary is those reports joined (joinSummaries).
import { randomUUID } from 'node:crypto';
import type { RegionRef } from './gcp/port';
import { topicPublisher } from './pubsub-client';
import { parseTopicName } from './pubsub-topic';
import type { UsableDeps } from './composition-root';
import { isRetryable } from './delivery';
import { shardsOf, sweepShard, type SweepSummary } from './sweep';

export const SHARD_SCHEMA_VERSION = 1;

/** The message body of one shard (JSON). */
export interface ShardMessage extends RegionRef {
  schemaVersion: typeof SHARD_SCHEMA_VERSION;
  /** Ties the shards of one sweep together (and to their reports). */
  sweepId: string;
  dryRun: boolean;
}

/** What a shard publishes on REPORT_TOPIC when it is done (attribute `kind: sweep-shard`). */
export interface ShardReport extends ShardMessage {
  summary: SweepSummary;
}

export function shardMessages(shards: readonly RegionRef[], options: { dryRun?: boolean; sweepId?: string } = {}): ShardMessage[] {
  const sweepId = options.sweepId ?? randomUUID();
  return shards.map((s) => ({
    schemaVersion: SHARD_SCHEMA_VERSION,
    sweepId,
    project: s.project,
    region: s.region,
    dryRun: options.dryRun === true,
  }));
}

/** Thrown for a message that is not a shard: acknowledged (a retry cannot fix it), and logged. */
export class MalformedShardError extends Error {
  override readonly name = 'MalformedShardError';
}

/** Reads a shard from a Pub/Sub message's data (base64 text or bytes). */
export function parseShardMessage(data: unknown): ShardMessage {
  const text =
    typeof data === 'string'
      ? Buffer.from(data, 'base64').toString('utf8')
      : data instanceof Uint8Array
        ? Buffer.from(data).toString('utf8')
        : undefined;
  if (text === undefined) throw new MalformedShardError('sweep shard message has no data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedShardError(`sweep shard message is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
  const m = parsed as Partial<ShardMessage>;
  const problems = [
    m.schemaVersion !== SHARD_SCHEMA_VERSION && `schemaVersion must be ${SHARD_SCHEMA_VERSION} (got ${JSON.stringify(m.schemaVersion)})`,
    (typeof m.project !== 'string' || !m.project) && 'project must be a non-empty string',
    (typeof m.region !== 'string' || !m.region) && 'region must be a non-empty string',
    (typeof m.sweepId !== 'string' || !m.sweepId) && 'sweepId must be a non-empty string',
    typeof m.dryRun !== 'boolean' && 'dryRun must be true or false',
  ].filter(Boolean);
  if (problems.length > 0) throw new MalformedShardError(`sweep shard message: ${problems.join('; ')}`);
  return { schemaVersion: SHARD_SCHEMA_VERSION, sweepId: m.sweepId!, project: m.project!, region: m.region!, dryRun: m.dryRun! };
}

export interface JsonTopic {
  publish(body: object, attributes: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** How long one shard or shard report may take to publish before the sweep gives it up. */
export const SHARD_PUBLISH_DEADLINE_MS = 10_000;

/** A topic that takes JSON bodies; the client is made on the first publish (pubsub-client.ts). */
export function jsonTopic(topicName: string, variable: string, runtime: Pick<UsableDeps, 'environment' | 'redactor'>): JsonTopic {
  const parsed = parseTopicName(topicName.trim());
  if (!parsed) throw new Error(`${variable} must look like projects/PROJECT/topics/TOPIC, got ${JSON.stringify(topicName)}`);
  const publisher = topicPublisher(parsed, runtime.environment.pubsubEmulator, SHARD_PUBLISH_DEADLINE_MS);
  return {
    publish: (body, attributes) => publisher.publish(Buffer.from(runtime.redactor.text(JSON.stringify(body))), attributes),
    close: () => publisher.close(),
  };
}

/** Publishes every shard of a sweep; resolves with the messages once Pub/Sub has them all. */
export async function publishShards(topic: JsonTopic, messages: readonly ShardMessage[]): Promise<string[]> {
  return Promise.all(
    messages.map((m) => topic.publish(m, { kind: 'sweep-shard', sweepId: m.sweepId, project: m.project, region: m.region })),
  );
}

export function shardReportAttributes(report: ShardReport): Record<string, string> {
  return {
    kind: 'sweep-shard',
    sweepId: report.sweepId,
    project: report.project,
    region: report.region,
    schemaVersion: String(report.schemaVersion),
  };
}

/** The `sweep` entry with SWEEP_TOPIC set: one message per shard, and nothing reconciled here. */
export async function fanOut(
  runtime: UsableDeps,
  topicName: string,
  options: { dryRun?: boolean } = {},
): Promise<{ sweepId: string; shards: number; messageIds: string[] }> {
  const messages = shardMessages(shardsOf(runtime.mesh.services), options);
  const topic = jsonTopic(topicName, 'SWEEP_TOPIC', runtime);
  try {
    const messageIds = await publishShards(topic, messages);
    const sweepId = messages[0]?.sweepId ?? '';
    runtime.logger.log('INFO', `sweep ${sweepId}: ${messages.length} shard(s) published to ${topicName}`, {
      sweepId,
      shards: messages.length,
    });
    return { sweepId, shards: messages.length, messageIds };
  } finally {
    await topic.close();
  }
}

/**
 * A shard pushed by Pub/Sub (the push body, `{message: {data}, subscription}`). Resolves
 * (acknowledged) when the shard is done or the message is not a shard; throws for Pub/Sub to
 * redeliver when a service could not be read or repaired for a reason a retry can fix.
 */
export async function handleShardEvent(data: unknown, runtime: UsableDeps): Promise<ShardReport | undefined> {
  let shard: ShardMessage;
  try {
    shard = parseShardMessage((data as { message?: { data?: unknown } } | undefined)?.message?.data);
  } catch (err) {
    if (!(err instanceof MalformedShardError)) throw err;
    runtime.logger.log('ERROR', `skipped: not a sweep shard: ${err.message}`, { skipReason: 'malformed-shard' });
    return undefined;
  }
  const { summary, outcomes } = await sweepShard(runtime, shard, { dryRun: shard.dryRun });
  const retry = outcomes.filter(isRetryable).map((o) => o.serviceKey);
  if (summary.errors.length > 0 || retry.length > 0) {
    const keys = [...summary.errors.map((e) => e.serviceKey), ...retry];
    throw new Error(
      `sweep shard ${shard.project}/${shard.region} of ${shard.sweepId}: ${keys.length} service(s) to retry (${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}); Pub/Sub will redeliver`,
    );
  }
  const report: ShardReport = { ...shard, summary };
  // The instance's one report-topic client: a client made and closed per shard loaded the API's
  // protos and opened a connection on every push, on the fan-out's critical path.
  await runtime.notifier.publishShardReport(report, shardReportAttributes(report));
  return report;
}
