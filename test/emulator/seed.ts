// Seeding: the declared mesh created healthy (VPC, subnet, proxy-only subnet, the Cloud Run
// service with its declared ingress, its clients with their declared VPC access, and every chain
// resource exactly as declared), without operations or audit entries, as if Terraform had run
// before the emulator started.
import type { ComputeApi } from './compute';
import { COMPUTE_URL_BASE, nameOf, partialPath, toUrl } from './compute-urls';
import type { Json } from './json';
import type { RunApi } from './run';

/**
 * What seeding reads of a declared service: the fields of a resolved mesh.yaml service (every
 * name derived). The emulator's own statement of that input, so it needs none of the product's code.
 */
export interface SeedService {
  project: string;
  region: string;
  service: string;
  ingress: 'internal' | 'internal-and-cloud-load-balancing';
  loadBalancer: {
    network: string;
    subnetwork: string;
    ipAddress: string;
    port: number;
    backend?: { logSampleRate?: number; localityLbPolicy?: string; sessionAffinity?: string };
    names: { address: string; neg: string; backendService: string; urlMap: string; targetProxy: string; forwardingRule: string };
  };
  clients?: SeedClient[];
}

/** A client service, created with the VPC access declared for it (mesh.yaml `clients`). */
export interface SeedClient {
  project: string;
  region: string;
  service: string;
  vpcAccess: { network?: string; subnetwork?: string; connector?: string; egress: 'all-traffic' | 'private-ranges-only' };
}

export interface SeedMesh {
  services: SeedService[];
  /** the rest of a mesh file means nothing to the emulator */
  policy?: unknown;
}

/** The declared ingress in Cloud Run v2's words. */
export const V2_INGRESS: Record<SeedService['ingress'], string> = {
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

export function seedMesh(mesh: SeedMesh, compute: ComputeApi, run: RunApi, principal: string): void {
  for (const declared of mesh.services) seedService(declared, compute, run, principal);
}

function seedService(s: SeedService, compute: ComputeApi, run: RunApi, principal: string): void {
  const lb = s.loadBalancer;
  const network = partialPath(lb.network);
  const subnetwork = partialPath(lb.subnetwork);
  const [, netProject] = network.split('/') as [string, string];
  const [, subProject, , subRegion] = subnetwork.split('/') as [string, string, string, string];
  const once = (path: string, create: () => void): void => {
    if (!compute.has(path)) create();
  };
  once(network, () =>
    compute.store('networks', netProject, 'global', {
      name: nameOf(network),
      autoCreateSubnetworks: false,
      routingConfig: { routingMode: 'REGIONAL' },
    }),
  );
  once(subnetwork, () =>
    compute.store('subnetworks', subProject, subRegion, {
      name: nameOf(subnetwork),
      network,
      ipCidrRange: '10.0.0.0/24',
      gatewayAddress: '10.0.0.1',
      purpose: 'PRIVATE',
    }),
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
  for (const client of s.clients ?? []) {
    // A client may call several declared services (or be one): created once, with its declared VPC access.
    if (run.has(`projects/${client.project}/locations/${client.region}/services/${client.service}`)) continue;
    const template = {
      containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }],
      maxInstanceRequestConcurrency: 80,
      vpcAccess: v2VpcAccess(client.vpcAccess),
    };
    run.put(
      run.newService(client.project, client.region, client.service, { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', template }, principal),
    );
  }

  const regional = (collection: string, name: string): string =>
    `${COMPUTE_URL_BASE}projects/${s.project}/regions/${s.region}/${collection}/${name}`;
  const n = lb.names;
  const put = (collection: Parameters<ComputeApi['store']>[0], resource: Json): void => {
    const path = `projects/${s.project}/regions/${s.region}/${collection}/${resource.name}`;
    once(path, () => compute.store(collection, s.project, s.region, resource));
  };
  put('addresses', {
    name: n.address,
    addressType: 'INTERNAL',
    address: lb.ipAddress,
    subnetwork: toUrl(subnetwork),
    purpose: 'SHARED_LOADBALANCER_VIP',
  });
  put('networkEndpointGroups', { name: n.neg, networkEndpointType: 'SERVERLESS', cloudRun: { service: s.service }, size: 0 });
  put('backendServices', {
    name: n.backendService,
    protocol: 'HTTP',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    backends: [{ group: regional('networkEndpointGroups', n.neg), balancingMode: 'UTILIZATION', capacityScaler: 1 }],
    logConfig: { enable: true, sampleRate: lb.backend?.logSampleRate ?? 1 },
    ...(lb.backend?.localityLbPolicy ? { localityLbPolicy: lb.backend.localityLbPolicy } : {}),
    ...(lb.backend?.sessionAffinity ? { sessionAffinity: lb.backend.sessionAffinity } : {}),
  });
  put('urlMaps', { name: n.urlMap, defaultService: regional('backendServices', n.backendService) });
  put('targetHttpProxies', { name: n.targetProxy, urlMap: regional('urlMaps', n.urlMap) });
  put('forwardingRules', {
    name: n.forwardingRule,
    IPAddress: lb.ipAddress,
    IPProtocol: 'TCP',
    portRange: `${lb.port}-${lb.port}`,
    loadBalancingScheme: 'INTERNAL_MANAGED',
    network: toUrl(network),
    subnetwork: toUrl(subnetwork),
    target: regional('targetHttpProxies', n.targetProxy),
    networkTier: 'PREMIUM',
  });
}

/** google.cloud.run.v2.VpcAccess for a declared one: a connector, or Direct VPC egress through one interface. */
function v2VpcAccess(declared: SeedClient['vpcAccess']): Json {
  const egress = declared.egress === 'all-traffic' ? 'ALL_TRAFFIC' : 'PRIVATE_RANGES_ONLY';
  if (declared.connector) return { connector: declared.connector, egress };
  const nic = {
    ...(declared.network ? { network: declared.network } : {}),
    ...(declared.subnetwork ? { subnetwork: declared.subnetwork } : {}),
  };
  return { egress, networkInterfaces: [nic] };
}
