// Generated deliveries for the fuzz suite, each tagged with its class. Every class but
// `transport-invalid` reaches the function's handler and must be acknowledged; transport-invalid
// bodies are refused by the Functions Framework before the handler runs (they cannot come from
// Pub/Sub or Eventarc, which always send well-formed JSON) and must only never crash or write.
import fc from 'fast-check';
import type { Mesh } from '../../../functions/config/mesh';
import { logEntry, targetsOf, type Target } from './audit-entries';
import { ENVELOPE_MODES, envelope, pubsubMessage, type EnvelopeMode, type HttpDelivery } from '../../support/envelopes';

export const FUZZ_CLASSES = [
  'valid-relevant',
  'valid-irrelevant',
  'mutated',
  'wrong-types',
  'truncated',
  'invalid-utf8',
  'base64-garbage',
  'huge',
  'deep',
  'not-an-envelope',
  'transport-invalid',
] as const;
export type FuzzClass = (typeof FUZZ_CLASSES)[number];

export interface FuzzCase {
  cls: FuzzClass;
  /** how it was built, for the counterexample */
  note: string;
  delivery: HttpDelivery;
  /** how fast-check prints the case */
  [fc.toStringMethod]: () => string;
}

type Entry = Record<string, unknown>;

const PRINCIPALS = [
  'alice@example.com',
  'bob@example.com',
  'terraform@demo-project.iam.gserviceaccount.com',
  'service-123@gcp-sa-eventarc.iam.gserviceaccount.com',
];

const IRRELEVANT: Target[] = [
  {
    methodName: 'storage.objects.create',
    resourceName: 'projects/_/buckets/logs/objects/a.json',
    project: 'demo-project',
    region: 'asia-northeast1',
  },
  {
    methodName: 'v1.compute.instances.insert',
    resourceName: 'projects/demo-project/zones/asia-northeast1-a/instances/vm-1',
    project: 'demo-project',
    region: 'asia-northeast1',
  },
  {
    methodName: 'v1.compute.forwardingRules.delete',
    resourceName: 'projects/demo-project/regions/asia-northeast1/forwardingRules/not-declared',
    project: 'demo-project',
    region: 'asia-northeast1',
  },
  {
    methodName: 'beta.compute.regionUrlMaps.patch',
    resourceName: 'projects/other-project/regions/asia-northeast1/urlMaps/mesh-0-url-map',
    project: 'other-project',
    region: 'asia-northeast1',
  },
  {
    methodName: 'google.cloud.run.v2.Services.UpdateService',
    resourceName: 'projects/demo-project/locations/us-central1/services/svc-0',
    project: 'demo-project',
    region: 'us-central1',
  },
  {
    methodName: 'google.cloud.run.v1.Services.ReplaceService',
    resourceName: 'namespaces/demo-project/services/unknown-svc',
    project: 'demo-project',
    region: 'asia-northeast1',
  },
  {
    methodName: 'google.cloud.run.v2.Services.ListServices',
    resourceName: 'projects/demo-project/locations/asia-northeast1',
    project: 'demo-project',
    region: 'asia-northeast1',
  },
];

const messageId = fc.bigInt({ min: 10n ** 15n, max: 10n ** 16n - 1n }).map(String);
const insertId = fc.stringMatching(/^-?[a-z0-9]{6,16}$/);
const mode = fc.constantFrom(...ENVELOPE_MODES);

function entryArb(targets: Target[], selfPrincipal: string): fc.Arbitrary<Entry> {
  return fc
    .record({
      target: fc.constantFrom(...targets),
      principal: fc.constantFrom(...PRINCIPALS, selfPrincipal),
      operation: fc.option(fc.record({ id: fc.stringMatching(/^operation-[0-9a-f]{8}$/), edge: fc.constantFrom('first', 'last') }), {
        nil: undefined,
      }),
      statusCode: fc.oneof({ arbitrary: fc.constant(0), weight: 9 }, { arbitrary: fc.constantFrom(3, 5, 7, 9, 10), weight: 1 }),
      insertId,
    })
    .map(
      ({ target, principal, operation, statusCode, insertId: id }) =>
        logEntry(
          {
            ...target,
            principal,
            statusCode,
            operation: operation
              ? operation.edge === 'first'
                ? { id: operation.id, first: true }
                : { id: operation.id, last: true }
              : undefined,
          },
          id,
        ) as unknown as Entry,
    );
}

/** All paths to values inside a JSON value, so a mutation can land anywhere. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.map((v, i) => paths(v, [...prefix, i]))
    : Object.entries(value).map(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...children.flat()];
}

const DELETE = Symbol('delete');

function setAt(root: Entry, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement === DELETE ? {} : replacement;
  const copy = structuredClone(root);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    // a key path into a part the entry lacks (no `operation`): create it, so the wrong type lands
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (replacement === DELETE) delete node[last];
  else node[last] = replacement;
  return copy;
}

/**
 * Any Unicode scalar value, one per string unit: what fast-check's `unit: 'binary'` draws, by the
 * same index for the same seed, but mapped back by arithmetic. 'binary' maps back through a table of
 * all 1.1 million code points, which fast-check builds the first time it checks that a string
 * arbitrary can produce its built-in "dangerous" strings (`__proto__`, `constructor`, ...): 2-4 s
 * of CPU in every test file that loads this one.
 */
const SURROGATES = 0xe000 - 0xd800;
const scalarValue = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (index) => String.fromCodePoint(index < 0xd800 ? index : index + SURROGATES),
  (value) => {
    const codePoint = typeof value === 'string' ? value.codePointAt(0) : undefined;
    if (codePoint === undefined || String.fromCodePoint(codePoint) !== value || (codePoint >= 0xd800 && codePoint < 0xe000))
      throw new Error('not a single Unicode scalar value');
    return codePoint < 0xd800 ? codePoint : codePoint - SURROGATES;
  },
);

const strangeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, '', '__proto__', [], {}, { __proto__: null }, DELETE),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: scalarValue, maxLength: 40 }),
);

/** Fields the intake reads, replaced by values of the wrong type. */
const KEY_PATHS: Array<Array<string>> = [
  ['insertId'],
  ['logName'],
  ['operation'],
  ['operation', 'first'],
  ['operation', 'last'],
  ['operation', 'id'],
  ['protoPayload'],
  ['protoPayload', '@type'],
  ['protoPayload', 'methodName'],
  ['protoPayload', 'serviceName'],
  ['protoPayload', 'resourceName'],
  ['protoPayload', 'authenticationInfo'],
  ['protoPayload', 'authenticationInfo', 'principalEmail'],
  ['protoPayload', 'status'],
  ['protoPayload', 'request'],
  ['resource'],
  ['timestamp'],
];

/** Invalid UTF-8 sequences: a lone continuation byte, an overlong NUL, a surrogate, a cut 3-byte char, 0xFF. */
const BAD_UTF8 = [
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0x80]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xff, 0xfe]),
];

function withInvalidUtf8(original: Entry, which: number): Buffer {
  const entry = structuredClone(original);
  const marker = 'ZZBADZZ';
  const payload = entry.protoPayload as { authenticationInfo: { principalEmail: string } };
  payload.authenticationInfo.principalEmail = `al${marker}ice@example.com`;
  const [before, after] = JSON.stringify(entry).split(marker) as [string, string];
  return Buffer.concat([Buffer.from(before), BAD_UTF8[which % BAD_UTF8.length] as Buffer, Buffer.from(after)]);
}

function deepJson(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

function withPlaceholder(original: Entry, placeholder: string, text: string): Buffer {
  const entry = structuredClone(original);
  (entry.protoPayload as Record<string, unknown>).request = placeholder;
  return Buffer.from(JSON.stringify(entry).replace(JSON.stringify(placeholder), text));
}

export function fuzzCases(mesh: Mesh, selfPrincipal: string): fc.Arbitrary<FuzzCase> {
  const relevant = mesh.services.flatMap(targetsOf);
  const any = entryArb([...relevant, ...IRRELEVANT], selfPrincipal);
  const tag = (cls: FuzzClass, note: string, delivery: HttpDelivery): FuzzCase => ({
    cls,
    note,
    delivery,
    // fast-check prints counterexamples with this: the class, how it was built, the start of the body.
    [fc.toStringMethod]: () =>
      `${cls}: ${note}; ${JSON.stringify(delivery.headers)} ${JSON.stringify(delivery.body.subarray(0, 400).toString('latin1'))}`,
  });

  const validRelevant = fc
    .tuple(entryArb(relevant, selfPrincipal), mode, messageId)
    .map(([e, m, id]) => tag('valid-relevant', `${m} ${String((e.protoPayload as Entry).methodName)}`, envelope(e, m, id)));
  const validIrrelevant = fc
    .tuple(entryArb(IRRELEVANT, selfPrincipal), mode, messageId)
    .map(([e, m, id]) => tag('valid-irrelevant', `${m} ${String((e.protoPayload as Entry).methodName)}`, envelope(e, m, id)));
  const mutated = fc.tuple(any, fc.nat(), strangeValue, mode, messageId).map(([e, pick, value, m, id]) => {
    const all = paths(e).slice(1); // not the root: replacing the whole entry is not-an-envelope's job
    const path = all[pick % all.length] as Array<string | number>;
    return tag('mutated', `${m} ${path.join('.')} := ${describe(value)}`, envelope(setAt(e, path, value), m, id));
  });
  const wrongTypes = fc
    .tuple(any, fc.constantFrom(...KEY_PATHS), strangeValue, mode, messageId)
    .map(([e, path, value, m, id]) =>
      tag('wrong-types', `${m} ${path.join('.')} := ${describe(value)}`, envelope(setAt(e, path, value), m, id)),
    );
  const truncated = fc
    .tuple(
      any,
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom<EnvelopeMode>('pubsub-structured', 'pubsub-binary', 'audit-structured', 'raw-push'),
      messageId,
    )
    .map(([e, at, m, id]) => {
      const text = JSON.stringify(e);
      const cut = Math.max(1, Math.min(text.length - 1, Math.floor(at * text.length)));
      return tag('truncated', `${m} entry cut at ${cut}/${text.length}`, envelope(Buffer.from(text.slice(0, cut)), m, id));
    });
  const invalidUtf8 = fc
    .tuple(any, fc.nat(), mode, messageId)
    .map(([e, which, m, id]) =>
      tag('invalid-utf8', `${m} bad bytes #${which % BAD_UTF8.length} in principalEmail`, envelope(withInvalidUtf8(e, which), m, id)),
    );
  const base64Garbage = fc.oneof(
    // (audit-binary would put the bytes in the HTTP body itself: that is transport-invalid's business)
    fc
      .tuple(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom<EnvelopeMode>('pubsub-structured', 'pubsub-binary', 'audit-structured', 'raw-push'),
        messageId,
      )
      .map(([bytes, m, id]) => tag('base64-garbage', `${m} ${bytes.length} random bytes`, envelope(Buffer.from(bytes), m, id))),
    // message.data that is not base64 at all, or not a string
    fc.tuple(fc.oneof(fc.string({ unit: scalarValue, maxLength: 200 }), fc.jsonValue({ maxDepth: 2 })), messageId).map(([data, id]) => {
      const message = { ...pubsubMessage(Buffer.alloc(0), id), data };
      return tag('base64-garbage', `raw-push message.data = ${describe(data)}`, {
        path: '/projects/demo-project/topics/mesh-audit',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ message, subscription: 'projects/demo-project/subscriptions/s' })),
      });
    }),
  );
  const huge = fc.tuple(any, fc.integer({ min: 200_000, max: 3_000_000 }), fc.boolean(), mode, messageId).map(([e, size, wide, m, id]) => {
    const request = wide ? Array.from({ length: Math.floor(size / 20) }, (_, i) => ({ i })) : 'x'.repeat(size);
    const big = structuredClone(e);
    (big.protoPayload as Entry).request = request;
    return tag('huge', `${m} request ${wide ? 'array' : 'string'} ~${size} bytes`, envelope(big, m, id));
  });
  const deep = fc.tuple(any, fc.integer({ min: 100, max: 20_000 }), fc.boolean(), mode, messageId).map(([e, depth, arrays, m, id]) => {
    const nested = arrays ? deepJson(depth, '[', ']') : deepJson(depth, '{"a":', '}').replace(/\{"a":\}/, '{"a":0}');
    const body = withPlaceholder(e, 'ZZDEEPZZ', nested);
    return tag('deep', `${m} request nested ${depth} deep (${arrays ? 'arrays' : 'objects'})`, envelope(body, m, id));
  });
  const notAnEnvelope = fc
    .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('application/json', 'application/cloudevents+json'), fc.boolean())
    .map(([value, type, asEvent]) => {
      // Either any JSON at all, or a CloudEvent-looking object whose data is any JSON.
      const body = asEvent
        ? { specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: '//x', id: '1', data: value }
        : value;
      const json = JSON.stringify(body) ?? 'null';
      // body-parser's strict JSON refuses top-level scalars before the handler: that is transport.
      const reachesHandler = typeof body === 'object' && body !== null && !hasNonObjectContext(body);
      return tag(reachesHandler ? 'not-an-envelope' : 'transport-invalid', `${type} ${json.slice(0, 80)}`, {
        path: '/',
        headers: { 'content-type': type },
        body: Buffer.from(json),
      });
    });
  const transportInvalid = fc.oneof(
    fc.tuple(any, mode, messageId, fc.double({ min: 0, max: 1, noNaN: true })).map(([e, m, id, at]) => {
      const delivery = envelope(e, m, id);
      const cut = Math.max(1, Math.floor(at * (delivery.body.length - 1)));
      return tag('transport-invalid', `${m} HTTP body cut at ${cut}/${delivery.body.length}`, {
        ...delivery,
        body: delivery.body.subarray(0, cut),
      });
    }),
    fc
      .tuple(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom('text/plain', 'application/octet-stream', 'application/json', 'application/json; charset=latin-9'),
      )
      .map(([bytes, type]) =>
        tag('transport-invalid', `${type} ${bytes.length} random bytes`, {
          path: '/',
          headers: { 'content-type': type },
          body: Buffer.from(bytes),
        }),
      ),
    fc.tuple(fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.boolean())).map(([context]) =>
      tag('transport-invalid', `legacy event with context ${describe(context)}`, {
        path: '/',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ context, data: {} })),
      }),
    ),
  );

  return fc.oneof(
    { arbitrary: validRelevant, weight: 12 },
    { arbitrary: validIrrelevant, weight: 8 },
    { arbitrary: mutated, weight: 14 },
    { arbitrary: wrongTypes, weight: 12 },
    { arbitrary: truncated, weight: 8 },
    { arbitrary: invalidUtf8, weight: 6 },
    { arbitrary: base64Garbage, weight: 10 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: deep, weight: 4 },
    { arbitrary: notAnEnvelope, weight: 12 },
    { arbitrary: transportInvalid, weight: 8 },
  );
}

/** The framework's background-event middleware throws on `context` that is not an object. */
function hasNonObjectContext(body: object): boolean {
  if (!('context' in body)) return false;
  const context = (body as { context: unknown }).context;
  return context === null || typeof context !== 'object';
}

function describe(value: unknown): string {
  if (value === DELETE) return '(deleted)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
