import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { parseMesh } from '../config/load';
import { indexMesh, type MeshIndex } from '../config/mesh-index';
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
import { intake, type IntakeContext, type IntakeResult } from './intake';
import { SkipCounters } from './skip-counters';
import { SELF_PRINCIPAL } from '../../test/support/identity';
import { evalArgs } from '../../test/support/function-code';

const MESH = parseMesh(readFileSync(resolve(__dirname, '../../deploy/mesh.example.yaml'), 'utf8'), 'mesh.example.yaml');
const SERVER = 'demo-project/asia-northeast1/server-service';

function context(overrides: Partial<IntakeContext> = {}): IntakeContext {
  return {
    index: indexMesh(MESH),
    selfPrincipal: SELF_PRINCIPAL,
    ignorePrincipals: ['serviceAccount:terraform@demo-project.iam.gserviceaccount.com'],
    counters: new SkipCounters(),
    ...overrides,
  };
}

function skipOf(result: IntakeResult) {
  if (result.kind !== 'skip') throw new Error(`expected a skip, got ${JSON.stringify(result)}`);
  return result;
}

describe('intake: relevant events become reconcile requests', () => {
  it('routes the real fixtures, in every envelope, to the declared service', () => {
    const inputs = [
      fixture(FIXTURES.pubsubMessagePublished),
      fixture(FIXTURES.runV1ReplaceIngressAll),
      fixtureText(FIXTURES.pubsubMessagePublished),
      asPushBody(runEntry()),
      asMessage(runEntry()),
    ];
    for (const input of inputs) {
      const result = intake(input, context());
      expect(result).toMatchObject({
        kind: 'reconcile',
        keys: [SERVER],
        event: { methodName: 'google.cloud.run.v1.Services.ReplaceService' },
      });
    }
    for (const input of [fixture(FIXTURES.eventarcAuditLog), fixture(FIXTURES.computeDeleteLast), asMessagePublished(computeEntry())]) {
      expect(intake(input, context())).toMatchObject({ kind: 'reconcile', keys: [SERVER], event: { target: { kind: 'forwardingRule' } } });
    }
  });

  it.each([
    ['address', 'v1.compute.addresses.delete', 'addresses/internal-lb-ip'],
    ['neg', 'beta.compute.regionNetworkEndpointGroups.delete', 'networkEndpointGroups/internal-lb-neg'],
    ['backend service', 'v1.compute.regionBackendServices.patch', 'backendServices/internal-lb-backend-svc'],
    ['URL map', 'beta.compute.regionUrlMaps.update', 'urlMaps/internal-lb-url-map'],
    ['proxy', 'v1.compute.regionTargetHttpProxies.setUrlMap', 'targetHttpProxies/internal-lb-target-proxy'],
    ['forwarding rule', 'v1.compute.forwardingRules.setTarget', 'forwardingRules/internal-lb-frontend'],
  ])('routes a change to the %s to its service', (_what, methodName, tail) => {
    const entry = computeEntry();
    entry.protoPayload.methodName = methodName;
    entry.protoPayload.resourceName = `projects/demo-project/regions/asia-northeast1/${tail}`;
    expect(intake(asMessagePublished(entry), context())).toMatchObject({ kind: 'reconcile', keys: [SERVER] });
  });

  it('routes a v1 entry that names no region to the service in every declared region', () => {
    const entry = runEntry();
    delete entry.protoPayload.request.name;
    delete entry.protoPayload.request.region;
    delete entry.protoPayload.resourceLocation;
    delete entry.resource.labels.location;
    expect(intake(entry, context())).toMatchObject({ kind: 'reconcile', keys: [SERVER] });
  });
});

describe('intake: every skip reason, counted', () => {
  const ctx = context();
  const reasons: string[] = [];
  const take = (input: unknown, c = ctx) => {
    const result = skipOf(intake(input, c));
    if (c === ctx) reasons.push(result.reason);
    return result;
  };

  it('malformed: undecodable envelopes and unusable resource names', () => {
    expect(take({ message: { data: '%%%', messageId: '9' }, subscription: 's' })).toEqual({
      kind: 'skip',
      reason: 'malformed',
      detail: 'Pub/Sub message 9 data is not base64',
    });
    const entry = computeEntry();
    entry.protoPayload.resourceName = 'projects/demo-project/regions/asia-northeast1/addresses/x';
    expect(take(entry).reason).toBe('malformed');
  });

  it('not-audit-log', () => {
    expect(take({ insertId: 'a', logName: 'projects/p/logs/stdout', textPayload: 'hi' }).reason).toBe('not-audit-log');
  });

  it('unhandled-method, from an object and from text (the sniff)', () => {
    const entry = runEntry();
    entry.protoPayload.methodName = 'google.cloud.run.v1.Services.SetIamPolicy';
    expect(take(entry)).toMatchObject({ reason: 'unhandled-method' });
    expect(take(asMessagePublished(entry))).toEqual({
      kind: 'skip',
      reason: 'unhandled-method',
      detail: 'google.cloud.run.v1.Services.SetIamPolicy is not a method mesh-remediator acts on',
    });
  });

  it('failed-call: a non-zero status changed nothing', () => {
    const entry = computeEntry();
    entry.protoPayload.status = { code: 9, message: 'FAILED_PRECONDITION' };
    const result = take(entry);
    expect(result.reason).toBe('failed-call');
    expect(result.detail).toBe(
      'v1.compute.forwardingRules.delete on forwardingRule demo-project/asia-northeast1/internal-lb-frontend failed with code 9; it changed nothing',
    );
    expect(result.event?.statusCode).toBe(9);
  });

  it('operation-first: compute acts on the last entry only', () => {
    expect(take(fixture(FIXTURES.computeDeleteFirst)).reason).toBe('operation-first');
    const progress = computeEntry();
    progress.operation = { id: 'op-p', producer: 'compute.googleapis.com' };
    expect(take(progress).reason).toBe('operation-first');
  });

  it('while the mesh cannot be read, what needs no mesh is still decided; the rest asks for it', () => {
    const unreadable = new Error('the mesh cannot be read');
    const brokenMesh = context();
    Object.defineProperty(brokenMesh, 'index', {
      get() {
        throw unreadable;
      },
    });
    const first = fixture(FIXTURES.computeDeleteFirst);
    expect(skipOf(intake(asMessage(first), brokenMesh)).reason).toBe('operation-first');
    const failed = computeEntry();
    failed.protoPayload.status = { code: 9 };
    expect(skipOf(intake(asMessage(failed), brokenMesh)).reason).toBe('failed-call');
    expect(() => intake(asMessage(computeEntry()), brokenMesh)).toThrow(unreadable);
  });

  it('own-principal and ignored-principal (case and IAM member prefix do not matter)', () => {
    const own = runEntry();
    own.protoPayload.authenticationInfo.principalEmail = 'Mesh-Remediator@demo-project.iam.gserviceaccount.com';
    expect(take(own)).toMatchObject({
      reason: 'own-principal',
      event: { principal: 'Mesh-Remediator@demo-project.iam.gserviceaccount.com' },
    });
    const ignored = runEntry();
    ignored.protoPayload.authenticationInfo.principalEmail = 'terraform@demo-project.iam.gserviceaccount.com';
    expect(take(ignored).reason).toBe('ignored-principal');
  });

  it('not-declared: another service, another resource, another region, a global resource', () => {
    const other = runEntry();
    other.protoPayload.resourceName = 'namespaces/demo-project/services/other-service';
    other.protoPayload.request.name = 'projects/demo-project/locations/asia-northeast1/services/other-service';
    expect(take(other).detail).toBe(
      'google.cloud.run.v1.Services.ReplaceService on Cloud Run service demo-project/asia-northeast1/other-service is not part of any declared service',
    );
    expect(take(asMessagePublished(other)).reason).toBe('not-declared');
    const rule = computeEntry();
    rule.protoPayload.resourceName = 'projects/demo-project/regions/asia-northeast1/forwardingRules/someone-elses';
    expect(take(rule).reason).toBe('not-declared');
    rule.protoPayload.resourceName = 'projects/demo-project/regions/us-central1/forwardingRules/internal-lb-frontend';
    expect(take(asAuditLogWritten(rule)).reason).toBe('not-declared');
    rule.protoPayload.methodName = 'v1.compute.urlMaps.delete';
    rule.protoPayload.resourceName = 'projects/demo-project/global/urlMaps/internal-lb-url-map';
    expect(take(rule).reason).toBe('not-declared');
  });

  it('the same last entry through both triggers carries one operation key (admission.ts skips the second)', () => {
    const key = 'operation-1764064800123-6441a2b3c4d5e-1a2b3c4d-5e6f7a8b/last';
    expect(intake(fixture(FIXTURES.computeDeleteLast), context())).toMatchObject({ kind: 'reconcile', operationKey: key });
    expect(intake(fixture(FIXTURES.eventarcAuditLog), context())).toMatchObject({ kind: 'reconcile', operationKey: key });
  });

  it('counts each skip under its reason', () => {
    const expected: Record<string, number> = {};
    for (const r of reasons) expected[r] = (expected[r] ?? 0) + 1;
    const snapshot = ctx.counters.snapshot();
    // duplicate-operation and already-verified are counted by handle-event after admission, never by intake.
    expect(Object.keys(snapshot).sort()).toEqual([
      'already-verified',
      'duplicate-operation',
      'failed-call',
      'ignored-principal',
      'malformed',
      'not-audit-log',
      'not-declared',
      'operation-first',
      'own-principal',
      'unhandled-method',
    ]);
    for (const [reason, count] of Object.entries(snapshot)) expect(count).toBe(expected[reason] ?? 0);
    expect(snapshot['not-declared']).toBe(5);
  });
});

describe('intake: operation keys (admission.ts acts on each once)', () => {
  it('names every phase of a Cloud Run operation by its own key', () => {
    const c = context();
    const entry = runEntry();
    entry.operation = { id: 'run-op', first: true };
    expect(intake(entry, c)).toMatchObject({ kind: 'reconcile', operationKey: 'run-op/first' });
    entry.operation = { id: 'run-op', last: true };
    expect(intake(entry, c)).toMatchObject({ kind: 'reconcile', operationKey: 'run-op/last' });
  });
});

describe('intake: cheap when irrelevant', () => {
  /** A context whose mesh-backed fields throw when read: proves an entry never needed them. */
  function untouchable(): IntakeContext {
    const ctx = context();
    Object.defineProperty(ctx, 'index', {
      get: () => {
        throw new Error('index read');
      },
    });
    Object.defineProperty(ctx, 'ignorePrincipals', {
      get: () => {
        throw new Error('ignorePrincipals read');
      },
    });
    return ctx;
  }

  it('decides unhandled, malformed, failed and first entries without reading the mesh', () => {
    const unhandled = runEntry();
    unhandled.protoPayload.methodName = 'v1.compute.instances.insert';
    const failed = computeEntry();
    failed.protoPayload.status = { code: 7 };
    for (const input of [unhandled, asMessagePublished(unhandled), 'garbage', failed, fixture(FIXTURES.computeDeleteFirst)]) {
      expect(intake(input, untouchable()).kind).toBe('skip');
    }
  });

  it('loads no Google client module on the whole intake path', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = `
      const { intake } = require('./functions/events/intake');
      const { indexMesh } = require('./functions/config/mesh-index');
      const { loadMesh } = require('./functions/config/load');
      const { SkipCounters } = require('./functions/events/skip-counters');
      const fs = require('fs');
      const ctx = { index: indexMesh(loadMesh('deploy/mesh.example.yaml')), ignorePrincipals: [], counters: new SkipCounters() };
      const results = fs.readdirSync('test/fixtures/events').filter((f) => f.endsWith('.json'))
        .map((f) => intake(JSON.parse(fs.readFileSync('test/fixtures/events/' + f, 'utf8')), ctx).kind);
      const google = Object.keys(require.cache).filter((m) => /node_modules[\\\\/](@google-cloud|google-gax|google-auth-library|@grpc)[\\\\/]/.test(m));
      console.log(JSON.stringify({ results, google }));`;
    const out = execFileSync(process.execPath, evalArgs(script), { cwd: resolve(__dirname, '../..'), encoding: 'utf8' });
    const { results, google } = JSON.parse(out.trim().split('\n').pop() as string);
    expect(results).toContain('reconcile');
    expect(google).toEqual([]);
  });
});

describe('intake: the text sniff agrees with the full decoder', () => {
  const index: MeshIndex = indexMesh(MESH);
  const methods = [
    'google.cloud.run.v1.Services.ReplaceService',
    'google.cloud.run.v2.Services.UpdateService',
    'google.cloud.run.v1.Services.GetService',
    'v1.compute.forwardingRules.delete',
    'beta.compute.regionUrlMaps.patch',
    'v1.compute.instances.insert',
  ];
  const resourceNames = [
    'namespaces/demo-project/services/server-service',
    'namespaces/demo-project/services/other',
    'namespaces/123456789012/services/server-service',
    'projects/demo-project/locations/asia-northeast1/services/server-service',
    'projects/demo-project/locations/europe-west1/services/server-service',
    'projects/demo-project/regions/asia-northeast1/forwardingRules/internal-lb-frontend',
    'projects/demo-project/regions/asia-northeast1/forwardingRules/other',
    'projects/demo-project/regions/asia-northeast1/urlMaps/internal-lb-url-map',
    'projects/demo-project/global/urlMaps/internal-lb-url-map',
    'projects/demo-project',
  ];

  it('gives the same verdict for an entry as text as for the entry itself', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc.constantFrom(...resourceNames),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('', ' ', '\n  '),
        (methodName, resourceName, withRequestName, ownPrincipal, space) => {
          const entry = runEntry();
          entry.protoPayload.methodName = methodName;
          entry.protoPayload.resourceName = resourceName;
          if (!withRequestName) delete entry.protoPayload.request.name;
          if (ownPrincipal) entry.protoPayload.authenticationInfo.principalEmail = 'self@x.iam.gserviceaccount.com';
          const ctx = () => ({
            index,
            selfPrincipal: 'self@x.iam.gserviceaccount.com',
            ignorePrincipals: [],
            counters: new SkipCounters(),
          });
          const direct = intake(entry, ctx());
          const viaText = intake(asMessage(JSON.parse(JSON.stringify(entry)), '1'), ctx());
          const pretty = intake(JSON.stringify(entry, null, space || undefined), ctx());
          for (const other of [viaText, pretty]) {
            expect(other.kind).toBe(direct.kind);
            if (direct.kind === 'reconcile' && other.kind === 'reconcile') expect(other.keys).toEqual(direct.keys);
            // the sniff may name not-declared where the decoder would first see our own principal
            if (direct.kind === 'skip' && other.kind === 'skip' && direct.reason !== 'own-principal')
              expect(other.reason).toBe(direct.reason);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('falls back to the full decoder on escaped values', () => {
    const entry = runEntry();
    const text = JSON.stringify(entry).replace('Services.ReplaceService"', 'Services.Replace\\u0053ervice"');
    expect(text).toContain('\\u0053');
    expect(intake(text, context())).toMatchObject({ kind: 'reconcile', keys: [SERVER] });
    // and an unhandled method hidden behind an escape is still decoded, not sniffed
    const unhandled = text.replace('Replace\\u0053ervice', 'GetServic\\u0065');
    expect(intake(unhandled, context())).toMatchObject({
      kind: 'skip',
      reason: 'unhandled-method',
      detail: expect.stringContaining('GetService'),
    });
  });
});
