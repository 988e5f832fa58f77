// Declared clients: defaults, the one-of rule for VPC access, agreement across services, and
// routing a change of the client to the declared service that lists it.
import { parseMesh } from './load';
import { indexMesh } from './mesh-index';

const service = (name: string, prefix: string, ip: string, clients: string) => `
  - project: demo-project
    region: asia-northeast1
    service: ${name}
    ingress: internal
    loadBalancer: {namePrefix: ${prefix}, network: projects/demo-project/global/networks/test-vpc, subnetwork: projects/demo-project/regions/asia-northeast1/subnetworks/test-subnet, ipAddress: ${ip}, port: 80}
    clients: ${clients}`;

const mesh = (...services: string[]) => `services:${services.join('')}\n`;

describe('clients', () => {
  test('default to the declared service project and region; policy.repairClientEgress defaults to false', () => {
    const parsed = parseMesh(
      mesh(
        service(
          'server-service',
          'internal-lb',
          '10.0.0.100',
          '[{service: client-service, vpcAccess: {network: test-vpc, subnetwork: test-subnet, egress: private-ranges-only}}, {project: other-project, region: europe-west1, service: batch, vpcAccess: {connector: projects/other-project/locations/europe-west1/connectors/c1, egress: all-traffic}}]',
        ),
      ),
      'mesh.yaml',
    );
    expect(parsed.policy.repairClientEgress).toBe(false);
    expect(parsed.services[0]!.clients).toEqual([
      {
        key: 'demo-project/asia-northeast1/client-service',
        project: 'demo-project',
        region: 'asia-northeast1',
        service: 'client-service',
        vpcAccess: { network: 'test-vpc', subnetwork: 'test-subnet', egress: 'private-ranges-only' },
      },
      {
        key: 'other-project/europe-west1/batch',
        project: 'other-project',
        region: 'europe-west1',
        service: 'batch',
        vpcAccess: { connector: 'projects/other-project/locations/europe-west1/connectors/c1', egress: 'all-traffic' },
      },
    ]);
  });

  test('a mesh without clients still loads (none declared)', () => {
    const parsed = parseMesh(mesh(service('server-service', 'internal-lb', '10.0.0.100', '[]')), 'mesh.yaml');
    expect(parsed.services[0]!.clients).toEqual([]);
  });

  test.each([
    [
      'both a connector and a network',
      '{connector: c1, network: test-vpc, egress: all-traffic}',
      'sets both connector and network/subnetwork',
    ],
    ['neither', '{egress: all-traffic}', 'must set either network/subnetwork (Direct VPC egress) or connector'],
  ])('vpcAccess with %s is refused with its path', (_what, vpcAccess, message) => {
    expect(() =>
      parseMesh(
        mesh(service('server-service', 'internal-lb', '10.0.0.100', `[{service: client-service, vpcAccess: ${vpcAccess}}]`)),
        'mesh.yaml',
      ),
    ).toThrow(`mesh.yaml: services[0].clients[0].vpcAccess: ${message}`);
  });

  test('schema problems name the field: an unknown egress, a missing vpcAccess', () => {
    expect(() =>
      parseMesh(
        mesh(
          service(
            'server-service',
            'internal-lb',
            '10.0.0.100',
            '[{service: a-client, vpcAccess: {network: test-vpc, egress: all}}, {service: b-client}]',
          ),
        ),
        'mesh.yaml',
      ),
    ).toThrow(
      /services\[0\]\.clients\[0\]\.vpcAccess\.egress: must be one of all-traffic, private-ranges-only \(got "all"\)[\s\S]*services\[0\]\.clients\[1\]\.vpcAccess: is required/,
    );
  });

  test('the service itself is not its own client', () => {
    expect(() =>
      parseMesh(
        mesh(
          service(
            'server-service',
            'internal-lb',
            '10.0.0.100',
            '[{service: server-service, vpcAccess: {network: test-vpc, egress: all-traffic}}]',
          ),
        ),
        'mesh.yaml',
      ),
    ).toThrow('services[0].clients[0].service: is the declared service itself');
  });

  test('one client of two services must be declared alike; twice in one service is a duplicate', () => {
    const a = '{service: client-service, vpcAccess: {network: test-vpc, egress: all-traffic}}';
    const b = '{service: client-service, vpcAccess: {network: test-vpc, egress: private-ranges-only}}';
    expect(() =>
      parseMesh(
        mesh(
          service('server-service', 'internal-lb', '10.0.0.100', `[${a}]`),
          service('other-service', 'other-lb', '10.0.0.101', `[${b}]`),
        ),
        'mesh.yaml',
      ),
    ).toThrow(
      'mesh.yaml: services[1].clients[0].vpcAccess: differs from services[0].clients[0].vpcAccess for the same client demo-project/asia-northeast1/client-service',
    );
    expect(() => parseMesh(mesh(service('server-service', 'internal-lb', '10.0.0.100', `[${a}, ${a}]`)), 'mesh.yaml')).toThrow(
      'mesh.yaml: services[0].clients[1]: duplicates services[0].clients[0] (demo-project/asia-northeast1/client-service)',
    );
    const both = parseMesh(
      mesh(service('server-service', 'internal-lb', '10.0.0.100', `[${a}]`), service('other-service', 'other-lb', '10.0.0.101', `[${a}]`)),
      'mesh.yaml',
    );
    expect(both.services.map((s) => s.clients.length)).toEqual([1, 1]);
  });

  test("a change to a client routes to every declared service that lists it, with or without the entry's region", () => {
    const a = '{service: client-service, vpcAccess: {network: test-vpc, egress: all-traffic}}';
    const index = indexMesh(
      parseMesh(
        mesh(
          service('server-service', 'internal-lb', '10.0.0.100', `[${a}]`),
          service('other-service', 'other-lb', '10.0.0.101', `[${a}]`),
        ),
        'mesh.yaml',
      ),
    );
    const keys = ['demo-project/asia-northeast1/server-service', 'demo-project/asia-northeast1/other-service'];
    expect(index.forRunService('demo-project', 'asia-northeast1', 'client-service').map((s) => s.key)).toEqual(keys);
    expect(index.forRunService('demo-project', undefined, 'client-service').map((s) => s.key)).toEqual(keys);
    expect(index.forRunService('demo-project', 'europe-west1', 'client-service')).toEqual([]);
  });
});
