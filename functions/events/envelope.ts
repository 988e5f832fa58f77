// Whatever arrives → the LogEntry inside. The one place that knows every envelope:
//  (a) Pub/Sub messagePublished CloudEvent, (b) Eventarc audit.log.v1.written CloudEvent,
//  (c) raw Pub/Sub push body, (d) bare Pub/Sub message, (e) bare LogEntry,
//  (f) any of these as JSON text or bytes (structured-mode body, replayed line).
import { cloudEventPayload, isCloudEvent } from './cloud-event';
import { isLogEntry, isObject, type LogEntry } from './log-entry';
import { MalformedEventError } from './malformed-event-error';
import { bytesToText, describe, isBytes, parseEntry, parseJson, type EntryPayload } from './payload';
import { isPubsubMessage, isPubsubPushBody, messagePayload } from './pubsub-message';

export function toLogEntry(input: unknown): LogEntry {
  return parseEntry(unwrapEnvelope(input));
}

/** Peels the envelopes off, stopping before the (costly) parse of a LogEntry that came as text. */
export function unwrapEnvelope(input: unknown): EntryPayload {
  let value = input;
  if (typeof input === 'string' || isBytes(input)) {
    const text = typeof input === 'string' ? input : bytesToText(input, 'event body');
    value = parseJson(text, 'event body');
  }
  if (!isObject(value)) throw new MalformedEventError(`event is ${describe(value)}, expected a JSON object`);
  if (isCloudEvent(value)) return cloudEventPayload(value);
  if (isPubsubPushBody(value)) return messagePayload(value.message);
  if (isPubsubMessage(value)) return messagePayload(value);
  if (isLogEntry(value)) return { entry: value };
  const fields = Object.keys(value).slice(0, 10).join(', ') || 'none';
  throw new MalformedEventError(`event is not a CloudEvent, Pub/Sub push body, Pub/Sub message or LogEntry (fields: ${fields})`);
}
