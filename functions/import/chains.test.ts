// The chain walk over plain inventories: what makes a chain complete, what leaves it out, and
// how names are split into a prefix and overrides.
import { RESOURCE_KINDS, type ResourceKind } from '../config/mesh';
import { resolveMesh } from '../config/resolve';
import type { Observed, RunService } from '../gcp/port';
import { declaredSnapshot, demoService } from '../../test/support/fake-port';
import { chooseNames, findChains } from './chains';
import { emptyInventory, type Inventory } from './inventory';

function inventoryOf(...services: Array<ReturnType<typeof demoService>>): Inventory {
  const inventory = emptyInventory({ project: 'demo-project', region: 'asia-northeast1' }, 'test');
  for (const svc of services) {
    const snapshot = declaredSnapshot(svc);
    inventory.services.set(svc.service, snapshot.service as RunService);
    for (const kind of RESOURCE_KINDS) (inventory.resources[kind] as unknown[]).push(snapshot.resources[kind]);
  }
  return inventory;
}

const edit = <K extends ResourceKind>(inventory: Inventory, kind: K, name: string, change: Partial<Observed<K>>) => {
  const found = (inventory.resources[kind] as Array<Observed<K>>).find((r) => r.name === name)!;
  Object.assign(found, change);
};

test('a declared chain imports to its own declaration, writing only what differs from the defaults', () => {
  const { chains, leftOut } = findChains(inventoryOf(demoService()));
  expect(leftOut).toEqual([]);
  expect(resolveMesh({ services: chains.map((c) => c.document) }).mesh.services).toEqual([demoService()]);
  expect(chains[0]!.document.loadBalancer).not.toHaveProperty('names');
  expect(chains[0]!.document.loadBalancer).not.toHaveProperty('backend');
});

test.each<[string, (inventory: Inventory) => void, RegExp]>([
  [
    'a path matcher on the URL map',
    (i) => edit(i, 'urlMap', 'internal-lb-url-map', { pathMatchers: [{ name: 'api' }] }),
    /URL map internal-lb-url-map has host rules or path matchers/,
  ],
  [
    'ingress all on the service',
    (i) => Object.assign(i.services.get('server-service')!, { ingress: 'all' }),
    /has ingress all; declaring it would close it/,
  ],
  [
    'a port range',
    (i) => edit(i, 'forwardingRule', 'internal-lb-frontend', { portRange: '80-81' }),
    /serves port range 80-81; the mesh declares one port/,
  ],
  ['the Cloud Run service absent', (i) => i.services.delete('server-service'), /Cloud Run service server-service was not found/],
  [
    'logging off on the backend',
    (i) => edit(i, 'backendService', 'internal-lb-backend-svc', { logConfig: { enable: false } }),
    /declaring it as found would still show drift: backendService internal-lb-backend-svc \.logConfig/,
  ],
  [
    'a NEG for one revision tag',
    (i) => edit(i, 'neg', 'internal-lb-neg', { cloudRun: { service: 'server-service', tag: 'canary' } }),
    /routes by revision tag/,
  ],
])('left out: %s', (_what, breakIt, reason) => {
  const inventory = inventoryOf(demoService());
  breakIt(inventory);
  const { chains, leftOut } = findChains(inventory);
  expect(chains).toEqual([]);
  expect(leftOut).toEqual([
    { what: 'NEG demo-project/asia-northeast1/internal-lb-neg → Cloud Run service server-service', reason: expect.stringMatching(reason) },
  ]);
});

test('two complete chains to one service are both left out', () => {
  const inventory = inventoryOf(demoService(), demoService({ namePrefix: 'second-lb', ipAddress: '10.0.0.101' }));
  const { chains, leftOut } = findChains(inventory);
  expect(chains).toEqual([]);
  expect(leftOut.map((l) => l.reason)).toEqual([
    expect.stringMatching(/^ambiguous: 2 complete chains lead to demo-project\/asia-northeast1\/server-service/),
    expect.anything(),
  ]);
});

test('chooseNames: the prefix most names follow, overrides for the rest, the NEG name when none does', () => {
  expect(
    chooseNames({
      address: 'a-ip',
      neg: 'a-neg',
      backendService: 'a-backend-svc',
      urlMap: 'routes',
      targetProxy: 'a-target-proxy',
      forwardingRule: 'b-frontend',
    }),
  ).toEqual({
    prefix: 'a',
    overrides: { urlMap: 'routes', forwardingRule: 'b-frontend' },
    note: '4 of 6 names follow <prefix>-…',
  });
  expect(
    chooseNames({ address: 'ip1', neg: 'neg1', backendService: 'be1', urlMap: 'um1', targetProxy: 'tp1', forwardingRule: 'fr1' }),
  ).toEqual({
    prefix: 'neg1',
    overrides: { address: 'ip1', neg: 'neg1', backendService: 'be1', urlMap: 'um1', targetProxy: 'tp1', forwardingRule: 'fr1' },
    note: 'no name follows <prefix>-…: every name is set under names',
  });
});
