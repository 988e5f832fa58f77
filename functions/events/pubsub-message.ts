// Pub/Sub messages carrying a LogEntry published by a Log Router sink: the raw push body a push
// subscription POSTs, and the message inside it (also what Eventarc wraps in messagePublished).
import { base64ToText, bytesToText, describe, isBytes, type EntryPayload } from './payload';
import { isObject } from './log-entry';
import { MalformedEventError } from './malformed-event-error';

/**
 * https://cloud.google.com/pubsub/docs/reference/rest/v1/PubsubMessage
 * Real deliveries may carry both spellings of the id and publish time (camelCase and snake_case).
 */
export interface PubsubMessage {
  /** base64 of the payload (bytes when a client library has already decoded it) */
  data?: string | Uint8Array;
  attributes?: Record<string, string>;
  messageId?: string;
  message_id?: string;
  publishTime?: string;
  publish_time?: string;
  orderingKey?: string;
}

/** https://cloud.google.com/pubsub/docs/push#receive_push */
export interface PubsubPushBody {
  message: PubsubMessage;
  subscription?: string;
  deliveryAttempt?: number;
}

/** Type predicate for a push body: `{message: {...}, subscription}`. */
export function isPubsubPushBody(value: unknown): value is PubsubPushBody {
  return isObject(value) && isObject(value.message) && (typeof value.subscription === 'string' || 'data' in value.message);
}

/** Type predicate for a bare message: base64 `data` plus an id, a publish time or attributes. */
export function isPubsubMessage(value: unknown): value is PubsubMessage {
  return (
    isObject(value) &&
    (typeof value.data === 'string' || isBytes(value.data)) &&
    (typeof value.messageId === 'string' ||
      typeof value.message_id === 'string' ||
      typeof value.publishTime === 'string' ||
      typeof value.publish_time === 'string' ||
      isObject(value.attributes))
  );
}

export function messageId(message: PubsubMessage): string | undefined {
  return message.messageId ?? message.message_id;
}

/** The message's LogEntry text (base64-decoded, or bytes a client library already decoded). */
export function messagePayload(message: PubsubMessage): EntryPayload {
  const { data } = message;
  const id = messageId(message);
  const what = `Pub/Sub message${id ? ` ${id}` : ''} data`;
  if (typeof data === 'string') return { text: base64ToText(data, what), what };
  if (isBytes(data)) return { text: bytesToText(data, what), what };
  throw new MalformedEventError(`Pub/Sub message${id ? ` ${id}` : ''} has no data (got ${describe(data)})`);
}
