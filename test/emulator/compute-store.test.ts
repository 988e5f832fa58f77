// The store's indexes answer exactly what a scan of every resource in insertion order answers,
// whatever sequence of stores, edits and deletes came before.
import fc from 'fast-check';
import { COLLECTIONS, isCollection } from './compute-collections';
import { ComputeStore } from './compute-store';
import { partialPath, toUrl } from './compute-urls';
import type { Json } from './json';

const SCOPES = ['projects/p/regions/r1/', 'projects/p/regions/r2/', 'projects/q/regions/r1/'];
const KINDS = ['forwardingRules', 'targetHttpProxies', 'urlMaps', 'backendServices', 'addresses', 'subnetworks'] as const;
const NAMES = ['a', 'b', 'c'];
const IPS = ['10.0.0.1', '10.0.0.2', undefined];

const path = fc
  .tuple(fc.constantFrom(...SCOPES), fc.constantFrom(...KINDS), fc.constantFrom(...NAMES))
  .map(([scope, kind, name]) => `${scope}${kind}/${name}`);
/** A resource whose reference fields point at other generated paths (as URLs or partial paths). */
const resource = fc.record({
  target: fc.option(path, { nil: undefined }),
  urlMap: fc.option(path.map(toUrl), { nil: undefined }),
  defaultService: fc.option(path, { nil: undefined }),
  network: fc.option(fc.constant('projects/p/global/networks/vpc'), { nil: undefined }),
  subnetwork: fc.option(path.map(toUrl), { nil: undefined }),
  IPAddress: fc.constantFrom(...IPS),
  purpose: fc.constantFrom('PRIVATE', 'REGIONAL_MANAGED_PROXY'),
});
const step = fc.oneof(
  fc.record({ op: fc.constant('set' as const), path, resource }),
  fc.record({ op: fc.constant('change' as const), path, resource }),
  fc.record({ op: fc.constant('delete' as const), path }),
);

/** The answers of a full scan, as the emulator computed them before it had indexes. */
function scan(all: Map<string, Json>) {
  return {
    inScope: (scope: string) => [...all.entries()].filter(([p]) => p.startsWith(scope)).map(([p]) => p),
    referencing: (target: string) =>
      [...all.entries()]
        .filter(([p, r]) => {
          const collection = p.split('/')[4];
          return isCollection(collection) && COLLECTIONS[collection].refs(r).some(([, value]) => partialPath(value) === target);
        })
        .map(([p]) => p),
    rulesWithIp: (scope: string, ip: unknown) =>
      [...all.entries()].filter(([p, r]) => p.startsWith(scope) && r.IPAddress === ip).map(([p]) => p),
  };
}

test('indexed lookups equal a full scan after any sequence of stores, edits and deletes', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const store = new ComputeStore();
      const reference = new Map<string, Json>();
      for (const s of steps) {
        if (s.op === 'set') {
          store.set(s.path, { ...s.resource });
          reference.set(s.path, { ...s.resource });
        } else if (s.op === 'change') {
          store.change(s.path, (r) => Object.assign(r, s.resource));
          const current = reference.get(s.path);
          if (current) Object.assign(current, s.resource);
        } else {
          store.delete(s.path);
          reference.delete(s.path);
        }
      }
      const expected = scan(reference);
      expect([...store.entries()].map(([p]) => p)).toEqual([...reference.keys()]);
      for (const scope of SCOPES)
        for (const kind of KINDS) {
          const prefix = `${scope}${kind}/`;
          expect(store.inScope(prefix).map(([p]) => p)).toEqual(expected.inScope(prefix));
          if (kind === 'forwardingRules')
            for (const ip of IPS) expect(store.rulesWithIp(prefix, ip)).toEqual(expected.rulesWithIp(prefix, ip));
          for (const name of NAMES) expect(store.referencing(prefix + name)).toEqual(expected.referencing(prefix + name));
        }
    }),
    { numRuns: 300 },
  );
});

test('a cleared store holds nothing and answers nothing', () => {
  const store = new ComputeStore();
  store.set('projects/p/regions/r1/forwardingRules/a', { target: 'projects/p/regions/r1/targetHttpProxies/b', IPAddress: '10.0.0.1' });
  store.clear();
  expect([...store.entries()]).toEqual([]);
  expect(store.inScope('projects/p/regions/r1/forwardingRules/')).toEqual([]);
  expect(store.referencing('projects/p/regions/r1/targetHttpProxies/b')).toEqual([]);
  expect(store.rulesWithIp('projects/p/regions/r1/forwardingRules/', '10.0.0.1')).toEqual([]);
});
