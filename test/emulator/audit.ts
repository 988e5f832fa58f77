// Cloud Audit Logs (Admin Activity) as the emulator writes them: one LogEntry per mutating call,
// or a first/last pair for a long-running operation, shaped like the recorded entries in
// test/fixtures/real/ (docs/google-behaviour.md, Audit logs). Delivered to in-process listeners, as Pub/Sub push envelopes
// to a URL, and/or to a topic on the real Pub/Sub emulator.
import { sleep } from './core';
import type { Json } from './json';
import { digits, type Random } from './random';

export interface LogEntry {
  insertId: string;
  logName: string;
  timestamp: string;
  receiveTimestamp: string;
  severity: 'NOTICE' | 'ERROR' | 'INFO';
  resource: { type: string; labels: Record<string, string> };
  protoPayload: Json;
  operation?: { id: string; producer: string; first?: true; last?: true };
  labels?: Record<string, string>;
}

/** What one audited call (or operation end) says; `auditEntry` dresses it as a LogEntry. */
export interface AuditRecord {
  serviceName: 'compute.googleapis.com' | 'run.googleapis.com';
  methodName: string;
  resourceName: string;
  project: string;
  region: string;
  principal: string;
  permission: string;
  request: Json;
  response?: Json;
  /** set on failure: the call changed nothing */
  status?: { code: number; message: string };
  operation?: { id: string; first?: true; last?: true };
  resource: { type: string; labels: Record<string, string> };
  callerIp: string;
  userAgent: string;
}

/** What a system_event entry says (the recorded Cloud Run one: no principal, no request). */
export interface SystemEvent {
  project: string;
  serviceName: string;
  methodName: string;
  resourceName: string;
  response: Json;
  statusMessage: string;
  resource: { type: string; labels: Record<string, string> };
}

export type AuditListener = (entry: LogEntry) => void;

export interface AuditDelivery {
  /** POST each entry as a Pub/Sub push envelope to this URL */
  pushUrl?: string;
  /** subscription named in push envelopes (default projects/<project>/subscriptions/emulator-audit-push) */
  pushSubscription?: string;
  /** deliveries tried per entry when the push endpoint answers non-2xx (default 4: 100, 200, 400 ms apart) */
  pushAttempts?: number;
  /** projects/P/topics/T on the Pub/Sub emulator named by PUBSUB_EMULATOR_HOST */
  topic?: string;
}

export class AuditLog {
  readonly entries: LogEntry[] = [];
  /** delivery failures (push sink down, topic unreachable), newest last */
  readonly deliveryErrors: string[] = [];
  private readonly listeners = new Set<AuditListener>();
  private delivering: Promise<void> = Promise.resolve();
  private counter = 0;
  private publisher?: Promise<TopicPublisher>;

  constructor(
    private readonly delivery: AuditDelivery,
    private readonly random: Random,
  ) {
    if (delivery.topic) {
      if (!/^projects\/[^/]+\/topics\/[^/]{3,}$/.test(delivery.topic)) {
        throw new Error(`audit topic must read projects/PROJECT/topics/TOPIC, got ${JSON.stringify(delivery.topic)}`);
      }
      if (!process.env.PUBSUB_EMULATOR_HOST) {
        throw new Error('audit topic delivery needs PUBSUB_EMULATOR_HOST (the emulator never publishes to real Pub/Sub)');
      }
    }
  }

  on(listener: AuditListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(record: AuditRecord): LogEntry {
    return this.append(auditEntry(record, this.nextInsertId(), new Date()));
  }

  /** A System Event entry: something Google did by itself (a rollout finished), no caller. */
  writeSystemEvent(event: SystemEvent): LogEntry {
    return this.append(systemEventEntry(event, this.nextInsertId(), new Date()));
  }

  private append(entry: LogEntry): LogEntry {
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
    // Deliveries are chained so the receiver sees entries in the order they were written.
    this.delivering = this.delivering.then(() => this.deliver(entry));
    return entry;
  }

  /** Resolves when every entry written so far has been delivered (or failed to be). */
  flush(): Promise<void> {
    return this.delivering;
  }

  clear(): void {
    this.entries.length = 0;
    this.deliveryErrors.length = 0;
  }

  private nextInsertId(): string {
    this.counter += 1;
    // time + counter keeps ids unique across emulator restarts, whatever the random seed
    return `${Date.now().toString(36)}${Math.floor(this.random() * 36 ** 3).toString(36)}${this.counter.toString(36)}`;
  }

  private async deliver(entry: LogEntry): Promise<void> {
    const project = entry.resource.labels.project_id ?? 'unknown';
    if (this.delivery.pushUrl) {
      const subscription = this.delivery.pushSubscription ?? `projects/${project}/subscriptions/emulator-audit-push`;
      // One message id for every attempt: a redelivery is the same message, as on Pub/Sub.
      const body = JSON.stringify(pushEnvelope(entry, subscription, digits(this.random, 16)));
      await this.attempt(`push to ${this.delivery.pushUrl}`, () => this.push(body));
    }
    if (this.delivery.topic) {
      await this.attempt(`publish to ${this.delivery.topic}`, async () => (await this.topicPublisher()).publish(entry));
    }
  }

  /** Like a push subscription: a non-2xx answer is redelivered with backoff (here bounded). */
  private async push(body: string): Promise<void> {
    const attempts = this.delivery.pushAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(this.delivery.pushUrl as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      if (res.ok) return;
      if (attempt >= attempts) throw new Error(`HTTP ${res.status} after ${attempts} attempts`);
      await sleep(100 * 2 ** (attempt - 1));
    }
  }

  private async attempt(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      this.deliveryErrors.push(`${what}: ${(err as Error).message}`);
    }
  }

  /** Delivers what is pending, then releases the Pub/Sub client. */
  async close(): Promise<void> {
    await this.flush();
    if (this.publisher) await (await this.publisher.catch(() => undefined))?.close();
  }

  private topicPublisher(): Promise<TopicPublisher> {
    this.publisher ??= openTopic(this.delivery.topic as string);
    return this.publisher;
  }
}

/** The raw Pub/Sub push body a push subscription POSTs (with both field spellings real deliveries carry). */
export function pushEnvelope(entry: LogEntry, subscription: string, messageId: string): Json {
  const publishTime = new Date().toISOString();
  return {
    message: {
      data: Buffer.from(JSON.stringify(entry)).toString('base64'),
      attributes: { 'logging.googleapis.com/timestamp': entry.timestamp },
      messageId,
      message_id: messageId,
      publishTime,
      publish_time: publishTime,
    },
    subscription,
  };
}

interface TopicPublisher {
  publish(entry: LogEntry): Promise<void>;
  close(): Promise<void>;
}

async function openTopic(topicName: string): Promise<TopicPublisher> {
  const { PubSub } = await import('@google-cloud/pubsub');
  const project = topicName.split('/')[1] as string;
  const pubsub = new PubSub({ projectId: project });
  const topic = pubsub.topic(topicName);
  const [exists] = await topic.exists();
  if (!exists) {
    try {
      await topic.create();
    } catch (err) {
      if ((err as { code?: number }).code !== 6) throw err; // created meanwhile
    }
  }
  return {
    async publish(entry) {
      await topic.publishMessage({
        data: Buffer.from(JSON.stringify(entry)),
        attributes: { 'logging.googleapis.com/timestamp': entry.timestamp },
      });
    },
    close: () => pubsub.close(),
  };
}

export function auditEntry(record: AuditRecord, insertId: string, now: Date): LogEntry {
  const time = now.toISOString();
  const protoPayload: Json = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    authenticationInfo: { principalEmail: record.principal },
    authorizationInfo: [
      {
        granted: record.status?.code !== 7,
        permission: record.permission,
        permissionType: 'ADMIN_WRITE',
        resource: record.resourceName,
        resourceAttributes: {},
      },
    ],
    methodName: record.methodName,
    request: record.request,
    requestMetadata: {
      callerIp: record.callerIp,
      callerSuppliedUserAgent: record.userAgent,
      requestAttributes: { time, auth: {} },
      destinationAttributes: {},
    },
    resourceLocation: { currentLocations: [record.region] },
    resourceName: record.resourceName,
    serviceName: record.serviceName,
  };
  if (record.response) protoPayload.response = record.response;
  if (record.status) protoPayload.status = record.status;
  const entry: LogEntry = {
    insertId,
    logName: `projects/${record.project}/logs/cloudaudit.googleapis.com%2Factivity`,
    protoPayload,
    receiveTimestamp: time,
    resource: record.resource,
    severity: record.status ? 'ERROR' : 'NOTICE',
    timestamp: time,
  };
  if (record.operation) entry.operation = { ...record.operation, producer: record.serviceName };
  return entry;
}

export function systemEventEntry(event: SystemEvent, insertId: string, now: Date): LogEntry {
  const time = now.toISOString();
  return {
    insertId,
    logName: `projects/${event.project}/logs/cloudaudit.googleapis.com%2Fsystem_event`,
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      methodName: event.methodName,
      resourceName: event.resourceName,
      response: event.response,
      serviceName: event.serviceName,
      status: { message: event.statusMessage },
    },
    receiveTimestamp: time,
    resource: event.resource,
    severity: 'INFO',
    timestamp: time,
  };
}
