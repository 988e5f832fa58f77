// Seeding: the declared mesh created healthy (VPC, subnet, proxy-only subnet, the Cloud Run
// service with its declared ingress, its clients with their declared VPC access, and every chain
// resource exactly as declared), without operations or audit entries, as if Terraform had run
// before the emulator started.
import type { DeclaredService, Mesh } from '../../functions/config/mesh';
import { nameOf, partialPath, regionalUrl, toUrl } from '../../functions/gcp/refs';
import { v2VpcAccess } from '../../functions/gcp/vpc-access';
import type { ComputeApi } from './compute';
import type { Json } from './json';
import type { RunApi } from './run';

export const V2_INGRESS: Record<DeclaredService['ingress'], string> = {
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

export function seedMesh(mesh: Mesh, compute: ComputeApi, run: RunApi, principal: string): void {
  for (const declared of mesh.services) seedService(declared, compute, run, principal);
}

function seedService(s: DeclaredService, compute: ComputeApi, run: RunApi, principal: string): void {
  const lb = s.loadBalancer;
  const network = partialPath(lb.network);
  const subnetwork = partialPath(lb.subnetwork);
  const [, netProject] = network.split('/') as [string, string];
  const [, subProject, , subRegion] = subnetwork.split('/') as [string, string, string, string];
  const once = (path: string, create: () => void): void => {
    if (!compute.has(path)) create();
  };
  once(network, () => compute.store('networks', netProject, 'global', { name: nameOf(network), autoCreateSubnetworks: false, routingConfig: { routingMode: 'REGIONAL' } }));
  once(subnetwork, () =>
    compute.store('subnetworks', subProject, subRegion, { name: nameOf(subnetwork), network, ipCidrRange: '10.0.0.0/24', gatewayAddress: '10.0.0.1', purpose: 'PRIVATE' }),
  );
  const proxyOnly = `projects/${s.project}/regions/${s.region}/subnetworks/${nameOf(network)}-proxy-only`;
  once(proxyOnly, () =>
    compute.store('subnetworks', s.project, s.region, {
      name: nameOf(proxyOnly),
      network,
      ipCidrRange: '10.129.0.0/23',
      purpose: 'REGIONAL_MANAGED_PROXY',
      role: 'ACTIVE',
    }),
  );

  run.put(run.newService(s.project, s.region, s.service, { ingress: V2_INGRESS[s.ingress] }, principal));
  for (const client of s.clients) {
    // A client may call several declared services (or be one): created once, with its declared VPC access.
    if (run.has(`projects/${client.project}/locations/${client.region}/services/${client.service}`)) continue;
    const template = { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }], maxInstanceRequestConcurrency: 80, vpcAccess: v2VpcAccess(client.vpcAccess) };
    run.put(run.newService(client.project, client.region, client.service, { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', template }, principal));
  }

  const ref = (name: string) => ({ project: s.project, region: s.region, name });
  const n = lb.names;
  const put = (collection: Parameters<ComputeApi['store']>[0], resource: Json): void => {
    const path = `projects/${s.project}/regions/${s.region}/${collection}/${resource.name}`;
    once(path, () => compute.store(collection, s.project, s.region, resource));
  };
  put('addresses', { name: n.address, addressType: 'INTERNAL', address: lb.ipAddress, subnetwork: toUrl(subnetwork), purpose: 'SHARED_LOADBALANCER_VIP' });
  put('networkEndpointGroups', { name: n.neg, networkEndpointType: 'SERVERLESS', cloudRun: { service: s.service }, size: 0 });
  put('backendServices', {
    name: n.backendService,
    protocol: 'HTTP',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    backends: [{ group: regionalUrl('neg', ref(n.neg)), balancingMode: 'UTILIZATION', capacityScaler: 1 }],
    logConfig: { enable: true, sampleRate: lb.backend.logSampleRate },
    localityLbPolicy: lb.backend.localityLbPolicy,
    sessionAffinity: lb.backend.sessionAffinity,
    timeoutSec: lb.backend.timeoutSec,
  });
  put('urlMaps', { name: n.urlMap, defaultService: regionalUrl('backendService', ref(n.backendService)) });
  put('targetHttpProxies', { name: n.targetProxy, urlMap: regionalUrl('urlMap', ref(n.urlMap)) });
  put('forwardingRules', {
    name: n.forwardingRule,
    IPAddress: lb.ipAddress,
    IPProtocol: 'TCP',
    portRange: `${lb.port}-${lb.port}`,
    loadBalancingScheme: 'INTERNAL_MANAGED',
    network: toUrl(network),
    subnetwork: toUrl(subnetwork),
    target: regionalUrl('targetProxy', ref(n.targetProxy)),
    networkTier: 'PREMIUM',
  });
}
