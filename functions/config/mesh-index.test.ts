import { parseMesh } from './load';
import { indexMesh } from './mesh-index';

const mesh = parseMesh(
  JSON.stringify({
    services: ['asia-northeast1', 'europe-west1'].flatMap((region, r) =>
      ['server-service', 'client-service'].map((service, s) => ({
        project: 'demo-project',
        region,
        service,
        ingress: 'internal',
        loadBalancer: {
          namePrefix: `lb-${s}`,
          network: 'projects/demo-project/global/networks/test-vpc',
          subnetwork: `projects/demo-project/regions/${region}/subnetworks/test-subnet`,
          ipAddress: `10.${r}.0.${s + 1}`,
          port: 80,
          names: s === 1 ? { forwardingRule: 'client-rule' } : {},
        },
      })),
    ),
  }),
  'mesh.json',
);
const index = indexMesh(mesh);
const keys = (list: { key: string }[]) => list.map((s) => s.key);

describe('indexMesh', () => {
  it('finds a service by key', () => {
    expect(index.byKey('demo-project/europe-west1/client-service')?.loadBalancer.names.forwardingRule).toBe('client-rule');
    expect(index.byKey('demo-project/us-east1/client-service')).toBeUndefined();
  });

  it('finds a Cloud Run service in one region, or in every region when the entry did not say', () => {
    expect(keys(index.forRunService('demo-project', 'asia-northeast1', 'server-service'))).toEqual([
      'demo-project/asia-northeast1/server-service',
    ]);
    expect(keys(index.forRunService('demo-project', undefined, 'server-service'))).toEqual([
      'demo-project/asia-northeast1/server-service',
      'demo-project/europe-west1/server-service',
    ]);
    expect(index.forRunService('other-project', undefined, 'server-service')).toEqual([]);
    expect(index.forRunService('demo-project', 'asia-northeast1', 'nope')).toEqual([]);
  });

  it('finds the service owning each chain resource, by project, region, kind and name', () => {
    expect(keys(index.forResource('demo-project', 'asia-northeast1', 'neg', 'lb-0-neg'))).toEqual([
      'demo-project/asia-northeast1/server-service',
    ]);
    expect(keys(index.forResource('demo-project', 'europe-west1', 'forwardingRule', 'client-rule'))).toEqual([
      'demo-project/europe-west1/client-service',
    ]);
    expect(keys(index.forResource('demo-project', 'europe-west1', 'urlMap', 'lb-1-url-map'))).toEqual([
      'demo-project/europe-west1/client-service',
    ]);
    // the derived name is not claimed when overridden; a kind mismatch is not a match
    expect(index.forResource('demo-project', 'europe-west1', 'forwardingRule', 'lb-1-frontend')).toEqual([]);
    expect(index.forResource('demo-project', 'asia-northeast1', 'address', 'lb-0-neg')).toEqual([]);
    expect(index.forResource('demo-project', 'us-east1', 'neg', 'lb-0-neg')).toEqual([]);
  });
});
