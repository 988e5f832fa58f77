// CloudEvents that carry an audit LogEntry, as the Functions Framework hands them to a cloudEvent
// handler (binary mode: `data` is whatever the body parser made of the body) or as structured-mode
// JSON: Eventarc's Pub/Sub `messagePublished` and its audit-log `written`.
import { base64ToText, bytesToText, describe, isBytes, parseJson, type EntryPayload } from './payload';
import { isLogEntry, isObject } from './log-entry';
import { MalformedEventError } from './malformed-event-error';
import { messagePayload, type PubsubMessage } from './pubsub-message';

/**
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md and its JSON format
 * (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md).
 * Eventarc adds extension attributes (servicename, methodname, resourcename for audit logs).
 */
export interface CloudEvent {
  specversion: string;
  type: string;
  source?: string;
  id?: string;
  time?: string;
  datacontenttype?: string;
  data?: unknown;
  data_base64?: string;
  [extension: string]: unknown;
}

/** https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto */
export interface MessagePublishedData {
  message: PubsubMessage;
  subscription?: string;
}

export const MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
/** data = the LogEntry (google/events/cloud/audit/v1/data.proto LogEntryData) */
export const AUDIT_LOG_WRITTEN = 'google.cloud.audit.log.v1.written';

export function isCloudEvent(value: unknown): value is CloudEvent {
  return isObject(value) && typeof value.specversion === 'string' && typeof value.type === 'string';
}

export function isMessagePublishedData(value: unknown): value is MessagePublishedData {
  return isObject(value) && isObject(value.message);
}

export function cloudEventPayload(event: CloudEvent): EntryPayload {
  switch (event.type) {
    case MESSAGE_PUBLISHED: {
      const data = cloudEventData(event);
      if (!isMessagePublishedData(data)) {
        throw new MalformedEventError(`${MESSAGE_PUBLISHED} CloudEvent data has no message (got ${describe(data)})`);
      }
      return messagePayload(data.message);
    }
    case AUDIT_LOG_WRITTEN: {
      const data = cloudEventData(event);
      if (typeof data === 'string') return { text: data, what: `${AUDIT_LOG_WRITTEN} CloudEvent data` };
      if (!isLogEntry(data))
        throw new MalformedEventError(`${AUDIT_LOG_WRITTEN} CloudEvent data is not a LogEntry (got ${describe(data)})`);
      return { entry: data };
    }
    default:
      throw new MalformedEventError(`unsupported CloudEvent type "${event.type}" (expected ${MESSAGE_PUBLISHED} or ${AUDIT_LOG_WRITTEN})`);
  }
}

/**
 * `data` as a value, or as JSON text when it came as text or bytes (binary mode leaves the body to
 * the body parser; structured mode may use data_base64). Text is parsed here only for the Pub/Sub
 * wrapper, whose LogEntry is one more layer down.
 */
function cloudEventData(event: CloudEvent): unknown {
  const what = `${event.type} CloudEvent data`;
  let text: string | undefined;
  if (typeof event.data_base64 === 'string' && event.data === undefined) text = base64ToText(event.data_base64, what);
  else if (typeof event.data === 'string') text = event.data;
  else if (isBytes(event.data)) text = bytesToText(event.data, what);
  if (text === undefined) return event.data;
  return event.type === AUDIT_LOG_WRITTEN ? text : parseJson(text, what);
}
