// How an audit LogEntry reaches the function, in each shape a real delivery has: the Pub/Sub
// message a Log Router sink publishes, the Eventarc Pub/Sub `messagePublished` CloudEvent and the
// Eventarc audit-log `written` CloudEvent (as objects, and over HTTP in binary and structured mode),
// and a raw Pub/Sub push body. The shapes follow the recorded events in test/fixtures/events.
// Entries may be any value or raw bytes, so fuzzing can corrupt them.
export type EnvelopeMode = 'pubsub-structured' | 'pubsub-binary' | 'audit-structured' | 'audit-binary' | 'raw-push';

export const ENVELOPE_MODES: readonly EnvelopeMode[] = [
  'pubsub-structured',
  'pubsub-binary',
  'audit-structured',
  'audit-binary',
  'raw-push',
];

/** An HTTP request as the function receives it (test/support/http-send.ts sends it). */
export interface HttpDelivery {
  /** request path; a raw push names its topic there, as push endpoints are configured */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  datacontenttype: string;
  dataschema?: string;
  data: unknown;
  /** extension attributes (the audit-log event's servicename, methodname, resourcename) */
  [extension: string]: unknown;
}

export const AUDIT_TOPIC = 'projects/demo-project/topics/mesh-audit';
export const TRIGGER_SUBSCRIPTION = 'projects/demo-project/subscriptions/eventarc-asia-northeast1-remediate-sub';
const PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
const WRITTEN = 'google.cloud.audit.log.v1.written';
const LOG_ENTRY_SCHEMA = 'https://googleapis.github.io/google-cloudevents/jsonschema/google/events/cloud/audit/v1/LogEntryData.json';

interface EntryLike {
  insertId?: unknown;
  logName?: unknown;
  timestamp?: unknown;
  protoPayload?: { serviceName?: unknown; methodName?: unknown; resourceName?: unknown };
}

const bytesOf = (entry: unknown): Buffer => (Buffer.isBuffer(entry) ? entry : Buffer.from(JSON.stringify(entry) ?? 'null'));

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** The Pub/Sub message a Log Router sink publishes: the LogEntry JSON (or any bytes) base64, both spellings of id and publish time. */
export function pubsubMessage(entry: unknown, messageId: string, time = new Date().toISOString()): Record<string, unknown> {
  return {
    data: bytesOf(entry).toString('base64'),
    attributes: { 'logging.googleapis.com/timestamp': time },
    messageId,
    message_id: messageId,
    publishTime: time,
    publish_time: time,
  };
}

/** The body a Pub/Sub push subscription POSTs. */
export function pushBody(entry: unknown, messageId: string, time?: string): Record<string, unknown> {
  return { message: pubsubMessage(entry, messageId, time), subscription: TRIGGER_SUBSCRIPTION };
}

/** The Eventarc Pub/Sub trigger's CloudEvent: the LogEntry as base64 message data. */
export function messagePublished(entry: unknown, messageId: string, time = new Date().toISOString()): CloudEvent {
  return {
    specversion: '1.0',
    id: messageId,
    type: PUBLISHED,
    source: `//pubsub.googleapis.com/${AUDIT_TOPIC}`,
    time,
    datacontenttype: 'application/json',
    data: { subscription: TRIGGER_SUBSCRIPTION, message: pubsubMessage(entry, messageId, time) },
  };
}

/** The Eventarc audit-log trigger's CloudEvent: the LogEntry itself as data (raw bytes travel as a base64 string). */
export function auditLogWritten(entry: unknown, fallbackId: string, time = new Date().toISOString()): CloudEvent {
  const e = (Buffer.isBuffer(entry) || typeof entry !== 'object' || entry === null ? {} : entry) as EntryLike;
  const p = e.protoPayload && typeof e.protoPayload === 'object' ? e.protoPayload : {};
  const serviceName = text(p.serviceName, 'unknown');
  const resourceName = text(p.resourceName, 'unknown');
  return {
    specversion: '1.0',
    id: `${text(e.logName, 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity')}-${text(e.insertId, fallbackId)}`,
    type: WRITTEN,
    source: '//cloudaudit.googleapis.com/projects/demo-project/logs/activity',
    time: text(e.timestamp, time),
    subject: `${serviceName}/${resourceName}`,
    datacontenttype: 'application/json; charset=utf-8',
    dataschema: LOG_ENTRY_SCHEMA,
    servicename: serviceName,
    methodname: text(p.methodName, 'unknown'),
    resourcename: resourceName,
    data: Buffer.isBuffer(entry) ? entry.toString('base64') : entry,
  };
}

/** Wraps a LogEntry (or, for fuzzing, any value or raw bytes) in the given delivery shape. */
export function envelope(entry: unknown, mode: EnvelopeMode, messageId: string): HttpDelivery {
  switch (mode) {
    case 'pubsub-structured':
      return structuredMode(messagePublished(entry, messageId));
    case 'pubsub-binary':
      return binaryMode(messagePublished(entry, messageId));
    case 'audit-structured':
      return structuredMode(auditLogWritten(entry, messageId));
    case 'audit-binary':
      // Binary mode carries the entry bytes as they are.
      return { ...binaryMode(auditLogWritten(entry, messageId)), body: bytesOf(entry) };
    case 'raw-push':
      return {
        path: `/${AUDIT_TOPIC}`,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(pushBody(entry, messageId))),
      };
  }
}

/** Structured content mode: the whole event as one JSON body. */
export function structuredMode(event: CloudEvent): HttpDelivery {
  return { path: '/', headers: { 'content-type': 'application/cloudevents+json' }, body: Buffer.from(JSON.stringify(event)) };
}

/** Binary content mode: attributes as ce-* headers, the data as the body. */
export function binaryMode(event: CloudEvent): HttpDelivery {
  const { data, datacontenttype, ...attributes } = event;
  const headers: Record<string, string> = { 'content-type': datacontenttype };
  for (const [key, value] of Object.entries(attributes)) if (typeof value === 'string') headers[`ce-${key}`] = headerValue(value);
  return { path: '/', headers, body: Buffer.from(JSON.stringify(data) ?? 'null') };
}

/** CloudEvents HTTP binding §3.1.3.2: space, `"`, `%` and anything outside printable ASCII travel percent-encoded. */
function headerValue(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map((byte) =>
      byte > 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/**
 * The CloudEvent id the function will see for this delivery (it logs it when it asks for a retry).
 * The Functions Framework hands ce-* header values over as they are, without percent-decoding.
 */
export function eventIdOf(delivery: HttpDelivery): string {
  const ceId = delivery.headers['ce-id'];
  if (ceId !== undefined) return ceId;
  const body = JSON.parse(delivery.body.toString('utf8')) as { id?: string; message?: { messageId?: string } };
  return body.message?.messageId ?? body.id ?? '';
}
