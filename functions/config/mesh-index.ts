// O(1) lookups from what an audit event names (a Cloud Run service, a chain resource) to the
// declared services it belongs to: the hot path of routing, built once per mesh.
import type { DeclaredService, Mesh, ResourceKind } from './mesh';
import { RESOURCE_KINDS } from './mesh';

export interface MeshIndex {
  readonly mesh: Mesh;
  byKey(key: string): DeclaredService | undefined;
  /**
   * The declared services a change to this Cloud Run service concerns: itself, and every declared
   * service that lists it among its clients. `region` undefined (a v1 entry that did not say)
   * matches the service in every declared region.
   */
  forRunService(project: string, region: string | undefined, service: string): DeclaredService[];
  forResource(project: string, region: string, kind: ResourceKind, name: string): DeclaredService[];
}

// Shared empty answer; frozen so a caller cannot corrupt it.
const NONE = Object.freeze([]) as unknown as DeclaredService[];

export function indexMesh(mesh: Mesh): MeshIndex {
  const byKey = new Map<string, DeclaredService>();
  const byRegionalService = new Map<string, DeclaredService[]>();
  const byProjectService = new Map<string, DeclaredService[]>();
  const byResource = new Map<string, DeclaredService[]>();
  const add = (map: Map<string, DeclaredService[]>, key: string, svc: DeclaredService) => {
    const list = map.get(key);
    if (list) list.push(svc);
    else map.set(key, [svc]);
  };

  for (const svc of mesh.services) {
    byKey.set(svc.key, svc);
    add(byRegionalService, svc.key, svc);
    add(byProjectService, `${svc.project}/${svc.service}`, svc);
    for (const client of svc.clients) {
      add(byRegionalService, client.key, svc);
      add(byProjectService, `${client.project}/${client.service}`, svc);
    }
    for (const kind of RESOURCE_KINDS) {
      add(byResource, resourceKey(svc.project, svc.region, kind, svc.loadBalancer.names[kind]), svc);
    }
  }

  return {
    mesh,
    byKey: (key) => byKey.get(key),
    forRunService: (project, region, service) =>
      (region === undefined ? byProjectService.get(`${project}/${service}`) : byRegionalService.get(`${project}/${region}/${service}`)) ??
      NONE,
    forResource: (project, region, kind, name) => byResource.get(resourceKey(project, region, kind, name)) ?? NONE,
  };
}

function resourceKey(project: string, region: string, kind: ResourceKind, name: string): string {
  return `${project}/${region}/${kind}/${name}`;
}
