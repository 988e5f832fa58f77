import { diff } from './diff';
import type { ObservedMesh } from './observe';
import { declaredSnapshot, demoService } from '../../test/support/fake-port';

const svc = demoService();
const URL = 'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1';
const NEG = `${URL}/networkEndpointGroups/internal-lb-neg`;

function withChange(change: (o: ObservedMesh) => void): ObservedMesh {
  const observed = declaredSnapshot(svc);
  change(observed);
  return observed;
}

describe('diff', () => {
  it('finds no drift when the read matches the declaration', () => {
    expect(diff(svc, declaredSnapshot(svc))).toEqual([]);
  });

  it('accepts partial paths, "80-80" and an address URL as the same thing', () => {
    const observed = withChange((o) => {
      o.resources.urlMap!.defaultService = 'projects/demo-project/regions/asia-northeast1/backendServices/internal-lb-backend-svc';
      o.resources.forwardingRule!.portRange = '80-80';
      o.resources.forwardingRule!.IPAddress = `${URL}/addresses/internal-lb-ip`;
    });
    expect(diff(svc, observed)).toEqual([]);
  });

  it.each(['all', 'none', 'unspecified'] as const)('reports ingress %s as drift', (found) => {
    expect(
      diff(
        svc,
        withChange((o) => (o.service!.ingress = found)),
      ),
    ).toEqual([{ type: 'ingress', wanted: 'internal', found }]);
  });

  it('reports internal as drift when internal-and-cloud-load-balancing is declared', () => {
    const lb = { ...svc, ingress: 'internal-and-cloud-load-balancing' as const };
    expect(diff(lb, declaredSnapshot(svc))).toEqual([{ type: 'ingress', wanted: 'internal-and-cloud-load-balancing', found: 'internal' }]);
  });

  it('reports a missing service', () => {
    expect(
      diff(
        svc,
        withChange((o) => (o.service = null)),
      ),
    ).toEqual([{ type: 'service-missing', service: 'server-service' }]);
  });

  it('reports each missing resource by kind and name', () => {
    const observed = withChange((o) => {
      o.resources.neg = null;
      o.resources.forwardingRule = null;
    });
    expect(diff(svc, observed)).toEqual([
      { type: 'missing', kind: 'neg', name: 'internal-lb-neg' },
      { type: 'missing', kind: 'forwardingRule', name: 'internal-lb-frontend' },
    ]);
  });

  it('requires the backend to contain the NEG but tolerates extra backends', () => {
    const extra = { group: `${URL}/networkEndpointGroups/canary`, balancingMode: 'UTILIZATION', capacityScaler: 1 };
    expect(
      diff(
        svc,
        withChange((o) => o.resources.backendService!.backends!.push(extra)),
      ),
    ).toEqual([]);
    expect(
      diff(
        svc,
        withChange((o) => (o.resources.backendService!.backends = [extra])),
      ),
    ).toEqual([
      { type: 'mutable', kind: 'backendService', name: 'internal-lb-backend-svc', field: 'backends', wanted: [NEG], found: [extra.group] },
    ]);
  });

  it('reports each mutable backend setting, URL map, proxy and rule target', () => {
    const observed = withChange((o) => {
      const b = o.resources.backendService!;
      b.timeoutSec = 5;
      b.logConfig = { enable: false, sampleRate: 1 };
      b.localityLbPolicy = 'RANDOM';
      b.sessionAffinity = 'CLIENT_IP';
      o.resources.urlMap!.defaultService = `${URL}/backendServices/other`;
      o.resources.targetProxy!.urlMap = `${URL}/urlMaps/other`;
      o.resources.forwardingRule!.target = `${URL}/targetHttpProxies/other`;
    });
    expect(diff(svc, observed).map((d) => d.type === 'mutable' && `${d.kind}.${d.field}`)).toEqual([
      'backendService.timeoutSec',
      'backendService.logConfig',
      'backendService.localityLbPolicy',
      'backendService.sessionAffinity',
      'urlMap.defaultService',
      'targetProxy.urlMap',
      'forwardingRule.target',
    ]);
    expect(diff(svc, observed)).toContainEqual({
      type: 'mutable',
      kind: 'urlMap',
      name: 'internal-lb-url-map',
      field: 'defaultService',
      wanted: `${URL}/backendServices/internal-lb-backend-svc`,
      found: `${URL}/backendServices/other`,
    });
  });

  it('reports every immutable field', () => {
    const observed = withChange((o) => {
      o.resources.address!.address = '10.0.0.7';
      o.resources.address!.subnetwork = `${URL}/subnetworks/other`;
      o.resources.neg!.cloudRun = { service: 'someone-else' };
      o.resources.backendService!.loadBalancingScheme = 'EXTERNAL_MANAGED';
      o.resources.backendService!.protocol = 'HTTPS';
      const rule = o.resources.forwardingRule!;
      Object.assign(rule, { IPAddress: '10.0.0.7', portRange: '8080', IPProtocol: 'UDP', loadBalancingScheme: 'EXTERNAL' });
      rule.network = 'projects/demo-project/global/networks/other';
      rule.subnetwork = `${URL}/subnetworks/other`;
    });
    const found = diff(svc, observed);
    expect(found.every((d) => d.type === 'immutable')).toBe(true);
    expect(found.map((d) => d.type === 'immutable' && `${d.kind}.${d.field}`)).toEqual([
      'address.address',
      'address.subnetwork',
      'neg.cloudRun.service',
      'backendService.loadBalancingScheme',
      'backendService.protocol',
      'forwardingRule.IPAddress',
      'forwardingRule.portRange',
      'forwardingRule.IPProtocol',
      'forwardingRule.loadBalancingScheme',
      'forwardingRule.network',
      'forwardingRule.subnetwork',
    ]);
    expect(found).toContainEqual({
      type: 'immutable',
      kind: 'forwardingRule',
      name: 'internal-lb-frontend',
      field: 'IPAddress',
      wanted: '10.0.0.100',
      found: '10.0.0.7',
    });
  });

  it('counts a field Compute left out as drift', () => {
    expect(
      diff(
        svc,
        withChange((o) => delete o.resources.backendService!.sessionAffinity),
      ),
    ).toEqual([
      {
        type: 'mutable',
        kind: 'backendService',
        name: 'internal-lb-backend-svc',
        field: 'sessionAffinity',
        wanted: 'NONE',
        found: undefined,
      },
    ]);
  });

  it("takes a backend timeout left out or at Google's fixed 30 s as in sync (it is never sent)", () => {
    expect(
      diff(
        svc,
        withChange((o) => delete o.resources.backendService!.timeoutSec),
      ),
    ).toEqual([]);
    expect(
      diff(
        svc,
        withChange((o) => (o.resources.backendService!.timeoutSec = 30)),
      ),
    ).toEqual([]);
  });
});
