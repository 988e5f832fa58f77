// How an audit LogEntry reaches the function over HTTP, in each shape a real delivery has
// (gcp.md §4): the Eventarc Pub/Sub CloudEvent and the Eventarc audit-log CloudEvent, each in
// binary and structured mode, and a raw Pub/Sub push. Bodies are bytes so callers can corrupt them.
export type EnvelopeMode = 'pubsub-structured' | 'pubsub-binary' | 'audit-structured' | 'audit-binary' | 'raw-push';

export const ENVELOPE_MODES: readonly EnvelopeMode[] = ['pubsub-structured', 'pubsub-binary', 'audit-structured', 'audit-binary', 'raw-push'];

export interface HttpDelivery {
  /** request path; a raw push names its topic there, as push endpoints are configured */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

const PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
const WRITTEN = 'google.cloud.audit.log.v1.written';
const TOPIC = 'projects/demo-project/topics/mesh-audit';
const SUBSCRIPTION = 'projects/demo-project/subscriptions/eventarc-remediate-sub';

interface EntryLike {
  insertId?: unknown;
  logName?: unknown;
  timestamp?: unknown;
  protoPayload?: { serviceName?: unknown; methodName?: unknown; resourceName?: unknown };
}

/** The Pub/Sub message a Log Router sink publishes: the LogEntry JSON, base64. `data` may be any bytes. */
export function pubsubMessage(data: Buffer, messageId: string, time = new Date().toISOString()): Record<string, unknown> {
  return {
    data: data.toString('base64'),
    attributes: { 'logging.googleapis.com/timestamp': time },
    messageId,
    message_id: messageId,
    publishTime: time,
    publish_time: time,
  };
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** Wraps a LogEntry (or, for fuzzing, any value or raw bytes) in the given delivery shape. */
export function envelope(entry: unknown, mode: EnvelopeMode, messageId: string): HttpDelivery {
  const time = new Date().toISOString();
  const bytes = Buffer.isBuffer(entry) ? entry : Buffer.from(JSON.stringify(entry) ?? 'null');
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  switch (mode) {
    case 'pubsub-structured':
    case 'pubsub-binary': {
      const data = { subscription: SUBSCRIPTION, message: pubsubMessage(bytes, messageId, time) };
      const context = { specversion: '1.0', type: PUBLISHED, source: `//pubsub.googleapis.com/${TOPIC}`, id: messageId, time };
      return mode === 'pubsub-binary' ? binary(context, json(data)) : structured({ ...context, datacontenttype: 'application/json', data });
    }
    case 'audit-structured':
    case 'audit-binary': {
      const e = (Buffer.isBuffer(entry) ? {} : entry ?? {}) as EntryLike;
      const p = e.protoPayload && typeof e.protoPayload === 'object' ? e.protoPayload : {};
      const context = {
        specversion: '1.0',
        type: WRITTEN,
        source: '//cloudaudit.googleapis.com/projects/demo-project/logs/activity',
        id: `${text(e.logName, 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity')}-${text(e.insertId, messageId)}`,
        time: text(e.timestamp, time),
        servicename: text(p.serviceName, 'unknown'),
        methodname: text(p.methodName, 'unknown'),
        resourcename: text(p.resourceName, 'unknown'),
      };
      // Binary mode carries the entry bytes as they are; structured mode needs JSON, so raw bytes
      // travel as a base64 string there (what a broken producer could send).
      if (mode === 'audit-binary') return binary(context, bytes);
      return structured({ ...context, datacontenttype: 'application/json; charset=utf-8', data: Buffer.isBuffer(entry) ? bytes.toString('base64') : entry });
    }
    case 'raw-push':
      return {
        path: `/${TOPIC}`,
        headers: { 'content-type': 'application/json' },
        body: json({ message: pubsubMessage(bytes, messageId, time), subscription: SUBSCRIPTION }),
      };
  }
}

function structured(event: Record<string, unknown>): HttpDelivery {
  return { path: '/', headers: { 'content-type': 'application/cloudevents+json' }, body: Buffer.from(JSON.stringify(event)) };
}

function binary(context: Record<string, string>, body: Buffer): HttpDelivery {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [key, value] of Object.entries(context)) headers[`ce-${key}`] = headerValue(value);
  return { path: '/', headers, body };
}

/** CloudEvents HTTP binding §3.1.3.2: space, `"`, `%` and anything outside printable ASCII travel percent-encoded. */
function headerValue(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map((byte) => (byte > 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
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
