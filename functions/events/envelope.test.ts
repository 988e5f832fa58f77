import { toLogEntry } from './envelope';
import { MalformedEventError } from './malformed-event-error';
import {
  asAuditLogWritten,
  asMessage,
  asMessagePublished,
  asPushBody,
  computeEntry,
  fixture,
  fixtureText,
  FIXTURES,
  runEntry,
} from '../../test/fixtures/events';

function malformed(input: unknown): string {
  try {
    toLogEntry(input);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedEventError);
    return (err as Error).message;
  }
  throw new Error('expected a MalformedEventError');
}

describe('toLogEntry: the real fixtures', () => {
  it('(a) decodes the base64 LogEntry of the Pub/Sub messagePublished CloudEvent (duplicated id/time fields)', () => {
    const event = fixture(FIXTURES.pubsubMessagePublished);
    expect(event.data.message.messageId).toBe(event.data.message.message_id);
    expect(toLogEntry(event)).toEqual(runEntry());
  });

  it('(b) takes data of the Eventarc audit.log.v1.written CloudEvent as the LogEntry', () => {
    expect(toLogEntry(fixture(FIXTURES.eventarcAuditLog))).toEqual(computeEntry());
  });

  it('(e) passes a bare LogEntry through', () => {
    expect(toLogEntry(fixture(FIXTURES.computeDeleteFirst)).operation).toMatchObject({ first: true });
    expect(toLogEntry(runEntry())).toEqual(runEntry());
  });

  it('(f) parses structured-mode CloudEvent JSON given as text or bytes', () => {
    expect(toLogEntry(fixtureText(FIXTURES.pubsubMessagePublished))).toEqual(runEntry());
    expect(toLogEntry(Buffer.from(fixtureText(FIXTURES.eventarcAuditLog)))).toEqual(computeEntry());
    expect(toLogEntry(fixtureText(FIXTURES.runV1ReplaceIngressAll))).toEqual(runEntry());
  });
});

describe('toLogEntry: every envelope around one entry', () => {
  const entry = computeEntry();

  it('(c) raw Pub/Sub push body', () => {
    expect(toLogEntry(asPushBody(entry))).toEqual(entry);
  });

  it('(d) bare Pub/Sub message, with either spelling of the id alone', () => {
    expect(toLogEntry(asMessage(entry))).toEqual(entry);
    const { message_id: _a, publish_time: _b, ...camel } = asMessage(entry);
    expect(toLogEntry(camel)).toEqual(entry);
    const { messageId: _c, publishTime: _d, attributes: _e, ...snake } = asMessage(entry);
    expect(toLogEntry(snake)).toEqual(entry);
  });

  it('(d) a message whose data a client library already decoded to bytes', () => {
    expect(toLogEntry({ data: Buffer.from(JSON.stringify(entry)), messageId: '1' })).toEqual(entry);
  });

  it('(a) binary mode: messagePublished data left as a JSON string or Buffer by the body parser', () => {
    const event = asMessagePublished(entry);
    expect(toLogEntry({ ...event, data: JSON.stringify(event.data) })).toEqual(entry);
    expect(toLogEntry({ ...event, data: Buffer.from(JSON.stringify(event.data)) })).toEqual(entry);
  });

  it('(b) binary mode: audit-log data as a JSON string or Buffer; structured mode with data_base64', () => {
    expect(toLogEntry(asAuditLogWritten(JSON.stringify(entry)))).toEqual(entry);
    expect(toLogEntry(asAuditLogWritten(Buffer.from(JSON.stringify(entry))))).toEqual(entry);
    const { data: _data, ...event } = asAuditLogWritten(entry);
    expect(toLogEntry({ ...event, data_base64: Buffer.from(JSON.stringify(entry)).toString('base64') })).toEqual(entry);
  });

  it('(f) a push body or message serialised as text', () => {
    expect(toLogEntry(JSON.stringify(asPushBody(entry)))).toEqual(entry);
    expect(toLogEntry(JSON.stringify(asMessage(entry)))).toEqual(entry);
  });
});

describe('toLogEntry: malformed input, each with a specific message', () => {
  const entry = runEntry();

  it('rejects values that are not objects', () => {
    expect(malformed(42)).toBe('event is a number, expected a JSON object');
    expect(malformed(null)).toBe('event is null, expected a JSON object');
    expect(malformed([entry])).toBe('event is an array, expected a JSON object');
    expect(malformed('"just a string"')).toBe('event is a string, expected a JSON object');
  });

  it('rejects text that is not JSON and bytes that are not UTF-8', () => {
    expect(malformed('{"specversion": ')).toMatch(/^event body is not JSON: /);
    expect(malformed(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBe('event body is not valid UTF-8');
  });

  it('rejects objects of no known shape, listing their fields', () => {
    expect(malformed({ hello: 'world', n: 1 })).toBe(
      'event is not a CloudEvent, Pub/Sub push body, Pub/Sub message or LogEntry (fields: hello, n)',
    );
    expect(malformed({})).toBe('event is not a CloudEvent, Pub/Sub push body, Pub/Sub message or LogEntry (fields: none)');
  });

  it('rejects CloudEvents of other types', () => {
    expect(malformed({ ...asAuditLogWritten(entry), type: 'google.cloud.storage.object.v1.finalized' })).toBe(
      'unsupported CloudEvent type "google.cloud.storage.object.v1.finalized" (expected google.cloud.pubsub.topic.v1.messagePublished or google.cloud.audit.log.v1.written)',
    );
  });

  it('rejects a messagePublished CloudEvent without a message', () => {
    expect(malformed({ ...asMessagePublished(entry), data: { subscription: 's' } })).toBe(
      'google.cloud.pubsub.topic.v1.messagePublished CloudEvent data has no message (got an object)',
    );
    expect(malformed({ ...asMessagePublished(entry), data: undefined })).toBe(
      'google.cloud.pubsub.topic.v1.messagePublished CloudEvent data has no message (got nothing)',
    );
  });

  it('rejects an audit.log.v1.written CloudEvent whose data is not a LogEntry', () => {
    expect(malformed(asAuditLogWritten({ foo: 1 }))).toBe(
      'google.cloud.audit.log.v1.written CloudEvent data is not a LogEntry (got an object)',
    );
    expect(malformed(asAuditLogWritten('not json'))).toMatch(/^google\.cloud\.audit\.log\.v1\.written CloudEvent data is not JSON: /);
  });

  it('rejects Pub/Sub data that is missing, not base64, base64 of garbage, not UTF-8, not JSON or not a LogEntry', () => {
    const message = (data: unknown) => ({ message: { data, messageId: '77' }, subscription: 's' });
    expect(malformed({ message: { messageId: '77' }, subscription: 's' })).toBe('Pub/Sub message 77 has no data (got nothing)');
    expect(malformed(message(''))).toBe('Pub/Sub message 77 data is empty');
    expect(malformed(message('not base64!!'))).toBe('Pub/Sub message 77 data is not base64');
    expect(malformed(message('abcde'))).toBe('Pub/Sub message 77 data is not base64');
    expect(malformed(message(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]).toString('base64')))).toBe(
      'Pub/Sub message 77 data (base64-decoded) is not valid UTF-8',
    );
    expect(malformed(message(Buffer.from('{"insertId": "x",').toString('base64')))).toMatch(/^Pub\/Sub message 77 data is not JSON: /);
    expect(malformed(message(Buffer.from('[1,2]').toString('base64')))).toBe(
      'Pub/Sub message 77 data is JSON (an array) but not a LogEntry',
    );
    expect(malformed(message(Buffer.from('{"a":1}').toString('base64')))).toBe(
      'Pub/Sub message 77 data is JSON (an object) but not a LogEntry',
    );
  });
});
