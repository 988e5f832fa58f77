// Declared meshes of any size for the bench, written as the JSON form of mesh.yaml (JSON is YAML),
// each service with its own load-balancer name prefix and internal IP.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT = 'demo-project';
export const REGION = 'asia-northeast1';

export interface BenchService {
  project: string;
  region: string;
  service: string;
  namePrefix: string;
}

/** Service `i` of a bench mesh: `svc-0007` behind `svc-0007-lb-*`. */
export function benchService(i: number): BenchService {
  const id = String(i).padStart(4, '0');
  return { project: PROJECT, region: REGION, service: `svc-${id}`, namePrefix: `svc-${id}-lb` };
}

export function meshDocument(count: number): object {
  return {
    services: Array.from({ length: count }, (_, i) => {
      const s = benchService(i);
      return {
        project: s.project,
        region: s.region,
        service: s.service,
        ingress: 'internal',
        loadBalancer: {
          namePrefix: s.namePrefix,
          network: `projects/${PROJECT}/global/networks/mesh-vpc`,
          subnetwork: `projects/${PROJECT}/regions/${REGION}/subnetworks/mesh-subnet`,
          ipAddress: `10.${1 + (i >> 8)}.${i & 255}.100`,
          port: 80,
        },
      };
    }),
  };
}

/** Writes a mesh of `count` services to a fresh temporary directory; returns the file's path. */
export function writeMesh(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-bench-'));
  const path = join(dir, 'mesh.json');
  writeFileSync(path, JSON.stringify(meshDocument(count), null, 2));
  return path;
}
