// Declared meshes for tests, the demo and the bench, written the way an operator writes mesh.yaml
// (YAML, or JSON, which the same parser reads) to a fresh temporary directory, and parsed back
// through the project's own loader, so callers use exactly the names the function derives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseMesh } from '../../functions/config/load';
import type { DeclaredService, Mesh, Policy, ResourceNames } from '../../functions/config/mesh';
import { PROJECT, REGION } from './identity';

/** One service as the operator declares it: no derived key, names optional. */
export type ServiceDeclaration = Pick<DeclaredService, 'project' | 'region' | 'service' | 'ingress'> & {
  loadBalancer: Omit<DeclaredService['loadBalancer'], 'names' | 'backend'> & {
    backend?: DeclaredService['loadBalancer']['backend'];
    names?: Partial<ResourceNames>;
  };
};

export interface MeshDocument {
  services: ServiceDeclaration[];
  policy: Partial<Policy>;
}

/** Service `i` of a generated mesh: `svc-0007` behind `svc-0007-lb-*`, each with its own internal IP. */
export function numberedService(i: number): ServiceDeclaration {
  const id = String(i).padStart(4, '0');
  return {
    project: PROJECT,
    region: REGION,
    service: `svc-${id}`,
    ingress: 'internal',
    loadBalancer: {
      namePrefix: `svc-${id}-lb`,
      network: `projects/${PROJECT}/global/networks/mesh-vpc`,
      subnetwork: `projects/${PROJECT}/regions/${REGION}/subnetworks/mesh-subnet`,
      ipAddress: `10.${1 + (i >> 8)}.${i & 255}.100`,
      port: 80,
    },
  };
}

/** Service `i` placed in another project and region (its network and subnetwork follow it). */
export function placedService(i: number, project: string, region: string): ServiceDeclaration {
  const s = numberedService(i);
  return {
    ...s,
    project,
    region,
    loadBalancer: {
      ...s.loadBalancer,
      network: `projects/${project}/global/networks/mesh-vpc`,
      subnetwork: `projects/${project}/regions/${region}/subnetworks/mesh-subnet`,
    },
  };
}

export function numberedServices(count: number): ServiceDeclaration[] {
  return Array.from({ length: count }, (_, i) => numberedService(i));
}

/** The mesh file's content: declared services (a parsed DeclaredService loses its derived key and names). */
export function meshDocument(services: readonly ServiceDeclaration[], policy: Partial<Policy> = {}): MeshDocument {
  return {
    services: services.map(({ project, region, service, ingress, loadBalancer }) => ({
      project,
      region,
      service,
      ingress,
      loadBalancer: { ...loadBalancer, names: {} },
    })),
    policy,
  };
}

export interface MeshFile {
  path: string;
  /** the file as the function's loader reads it (parsed on first use) */
  readonly mesh: Mesh;
  remove(): void;
}

export interface MeshFileOptions {
  policy?: Partial<Policy>;
  format?: 'yaml' | 'json';
}

/** Writes the services (or a whole document, for a mesh a test shapes by hand) to a fresh temporary directory. */
export function writeMesh(content: readonly ServiceDeclaration[] | object, options: MeshFileOptions = {}): MeshFile {
  const doc = Array.isArray(content) ? meshDocument(content as ServiceDeclaration[], options.policy) : content;
  const format = options.format ?? 'json';
  const dir = mkdtempSync(join(tmpdir(), 'mesh-'));
  const path = join(dir, `mesh.${format}`);
  const text = format === 'yaml' ? stringify(doc) : JSON.stringify(doc, null, 2);
  writeFileSync(path, text);
  let mesh: Mesh | undefined;
  return {
    path,
    get mesh() {
      mesh ??= parseMesh(text, path);
      return mesh;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
