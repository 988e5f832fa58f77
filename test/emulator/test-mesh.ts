// A declared mesh built by hand for the emulator's tests (deploy/mesh.example.yaml's setup), so they do
// not depend on the config loader.
import {
  DEFAULT_BACKEND,
  DEFAULT_POLICY,
  NAME_SUFFIX,
  RESOURCE_KINDS,
  serviceKey,
  type DeclaredService,
  type Mesh,
  type ResourceNames,
} from '../../functions/config/mesh';
import { PROJECT, REGION } from '../support/identity';

export function declaredService(service = 'server-service', prefix = 'internal-lb', ipAddress = '10.0.0.100'): DeclaredService {
  const project = PROJECT;
  const region = REGION;
  const names = Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, `${prefix}-${NAME_SUFFIX[kind]}`])) as ResourceNames;
  return {
    key: serviceKey(project, region, service),
    project,
    region,
    service,
    ingress: 'internal',
    loadBalancer: {
      namePrefix: prefix,
      network: `projects/${project}/global/networks/test-vpc`,
      subnetwork: `projects/${project}/regions/${region}/subnetworks/test-subnet`,
      ipAddress,
      port: 80,
      backend: { ...DEFAULT_BACKEND },
      names,
    },
    clients: [],
  };
}

export function demoMesh(...services: DeclaredService[]): Mesh {
  return { services: services.length > 0 ? services : [declaredService()], policy: { ...DEFAULT_POLICY } };
}
