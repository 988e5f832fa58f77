// Bytes → text → JSON for every envelope layer: a structured-mode body, binary-mode data, Pub/Sub's
// base64 `data`. Strict on purpose: garbage gets a MalformedEventError that says which layer and why.
import { isUtf8 } from 'node:buffer';
import { isLogEntry, type LogEntry } from './log-entry';
import { MalformedEventError } from './malformed-event-error';

/**
 * A LogEntry as far as the envelopes got: an object already, or JSON text not yet parsed. Parsing is
 * most of the cost of an irrelevant event, so intake may look at the text first (sniff.ts).
 */
export type EntryPayload = { entry: LogEntry } | { text: string; what: string };

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array; // Buffer included
}

export function bytesToText(bytes: Uint8Array, what: string): string {
  if (!isUtf8(bytes)) throw new MalformedEventError(`${what} is not valid UTF-8`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

export function base64ToText(data: string, what: string): string {
  if (data.length === 0) throw new MalformedEventError(`${what} is empty`);
  const bytes = Buffer.from(data, 'base64');
  // Node's decoder skips characters outside the alphabet; a short result means there were some.
  if (bytes.length !== Buffer.byteLength(data, 'base64') || data.length % 4 === 1) {
    throw new MalformedEventError(`${what} is not base64`);
  }
  return bytesToText(bytes, `${what} (base64-decoded)`);
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MalformedEventError(`${what} is not JSON: ${(err as Error).message}`);
  }
}

export function parseEntry(payload: EntryPayload): LogEntry {
  if ('entry' in payload) return payload.entry;
  const value = parseJson(payload.text, payload.what);
  if (!isLogEntry(value)) throw new MalformedEventError(`${payload.what} is JSON (${describe(value)}) but not a LogEntry`);
  return value;
}

/** For error messages: what a value is, without echoing it. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
