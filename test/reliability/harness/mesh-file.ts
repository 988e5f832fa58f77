// A declared mesh of N services written to a temp file (JSON, which mesh.yaml's parser reads),
// parsed back through the project's own loader so tests use the exact names the function derives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMesh } from '../../../functions/config/load';
import type { Mesh } from '../../../functions/config/mesh';

export const PROJECT = 'demo-project';
export const REGION = 'asia-northeast1';
/** The function's own identity in every suite (SELF_PRINCIPAL); the adapter sends it as its bearer. */
export const SELF_PRINCIPAL = 'mesh-remediator@demo-project.iam.gserviceaccount.com';

export interface MeshSpec {
  services: number;
  recreateOnImmutableDrift?: boolean;
  /** breaker threshold; chaos raises it because faults force many repairs of one service */
  maxRepairs?: number;
}

export function meshDocument(spec: MeshSpec): object {
  const services = Array.from({ length: spec.services }, (_, i) => ({
    project: PROJECT,
    region: REGION,
    service: `svc-${i}`,
    ingress: 'internal',
    loadBalancer: {
      namePrefix: `mesh-${i}`,
      network: `projects/${PROJECT}/global/networks/test-vpc`,
      subnetwork: `projects/${PROJECT}/regions/${REGION}/subnetworks/test-subnet`,
      ipAddress: `10.0.${Math.floor(i / 200)}.${10 + (i % 200)}`,
      port: 80,
    },
  }));
  const policy: Record<string, unknown> = { recreateOnImmutableDrift: spec.recreateOnImmutableDrift ?? false };
  if (spec.maxRepairs !== undefined) policy.breaker = { maxRepairs: spec.maxRepairs, windowSec: 600 };
  return { services, policy };
}

export interface MeshFile {
  path: string;
  mesh: Mesh;
  remove(): void;
}

export function writeMesh(spec: MeshSpec): MeshFile {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-mesh-'));
  const path = join(dir, 'mesh.json');
  const text = JSON.stringify(meshDocument(spec), null, 2);
  writeFileSync(path, text);
  return { path, mesh: parseMesh(text, path), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
