// Declared meshes of any size for the bench: the test kit's numbered services
// (test/support/mesh-file.ts), each with its own load-balancer name prefix and internal IP.
import {
  meshDocument as kitMeshDocument,
  numberedService,
  numberedServices,
  writeMesh as writeMeshFile,
  type ServiceDeclaration,
} from '../test/support/mesh-file';

export type BenchService = Pick<ServiceDeclaration, 'project' | 'region' | 'service'> & { namePrefix: string };

/** Service `i` of a bench mesh: `svc-0007` behind `svc-0007-lb-*`. */
export function benchService(i: number): BenchService {
  const { project, region, service, loadBalancer } = numberedService(i);
  return { project, region, service, namePrefix: loadBalancer.namePrefix };
}

export function meshDocument(count: number): object {
  return kitMeshDocument(numberedServices(count));
}

/** Writes a mesh of `count` services to a fresh temporary directory; returns the file's path. */
export function writeMesh(count: number): string {
  return writeMeshFile(numberedServices(count)).path;
}
