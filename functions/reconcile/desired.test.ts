import { DEPTH, dependencyClosure, dependentsOf, desiredChain, urlOf } from './desired';
import { demoService } from '../../test/support/fake-port';

const URL = 'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1';

describe('desiredChain', () => {
  const chain = desiredChain(demoService());

  it('builds the example Terraform chain in Compute REST field names with full reference URLs', () => {
    expect(chain.address).toEqual({
      name: 'internal-lb-ip',
      addressType: 'INTERNAL',
      address: '10.0.0.100',
      subnetwork: `${URL}/subnetworks/test-subnet`,
      purpose: 'SHARED_LOADBALANCER_VIP',
    });
    expect(chain.neg).toEqual({ name: 'internal-lb-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'server-service' } });
    expect(chain.backendService).toEqual({
      name: 'internal-lb-backend-svc',
      protocol: 'HTTP',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [{ group: `${URL}/networkEndpointGroups/internal-lb-neg`, balancingMode: 'UTILIZATION', capacityScaler: 1 }],
      logConfig: { enable: true, sampleRate: 1 },
      localityLbPolicy: 'ROUND_ROBIN',
      sessionAffinity: 'NONE',
    });
    expect(chain.backendService).not.toHaveProperty('timeoutSec'); // Google refuses it on serverless NEG backends
    expect(chain.urlMap).toEqual({ name: 'internal-lb-url-map', defaultService: `${URL}/backendServices/internal-lb-backend-svc` });
    expect(chain.targetProxy).toEqual({ name: 'internal-lb-target-proxy', urlMap: `${URL}/urlMaps/internal-lb-url-map` });
    expect(chain.forwardingRule).toEqual({
      name: 'internal-lb-frontend',
      IPAddress: `${URL}/addresses/internal-lb-ip`,
      IPProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: 'https://www.googleapis.com/compute/v1/projects/demo-project/global/networks/test-vpc',
      subnetwork: `${URL}/subnetworks/test-subnet`,
      target: `${URL}/targetHttpProxies/internal-lb-target-proxy`,
    });
  });

  it('uses resolved name overrides everywhere they are referenced', () => {
    const svc = demoService();
    svc.loadBalancer.names.urlMap = 'my-map';
    expect(desiredChain(svc).targetProxy.urlMap).toBe(`${URL}/urlMaps/my-map`);
    expect(urlOf(svc, 'urlMap')).toBe(`${URL}/urlMaps/my-map`);
  });
});

describe('dependency graph', () => {
  it('puts address ∥ NEG first and the forwarding rule last', () => {
    expect(DEPTH).toEqual({ address: 0, neg: 0, backendService: 1, urlMap: 2, targetProxy: 3, forwardingRule: 4 });
  });
  it('knows who points at whom', () => {
    expect(dependentsOf('address')).toEqual(['forwardingRule']);
    expect(dependentsOf('neg')).toEqual(['backendService']);
    expect([...dependencyClosure('urlMap')].sort()).toEqual(['backendService', 'neg', 'urlMap']);
  });
});
