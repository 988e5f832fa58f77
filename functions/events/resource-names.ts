// The resource names audit entries use, parsed. Shared by the decoder and by the pre-parse sniff,
// so both read a name the same way.
import { COLLECTION, type ResourceKind } from '../config/mesh';

export interface RunName {
  project: string;
  /** absent in v1 `namespaces/P/services/S` names */
  region?: string;
  service: string;
}

const RUN_V2_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/;
const RUN_V1_NAME = /^namespaces\/([^/]+)\/services\/([^/]+)$/;

/** v2 `projects/P/locations/R/services/S` or v1 `namespaces/P/services/S`. */
export function parseRunName(name: unknown): RunName | undefined {
  if (typeof name !== 'string') return undefined;
  const v2 = RUN_V2_NAME.exec(name);
  if (v2) return { project: v2[1] as string, region: v2[2] as string, service: v2[3] as string };
  const v1 = RUN_V1_NAME.exec(name);
  if (v1) return { project: v1[1] as string, service: v1[2] as string };
  return undefined;
}

/** v1 namespaces and some names carry the project number instead of its ID. */
export function isProjectNumber(project: string): boolean {
  return /^\d+$/.test(project);
}

export type ComputeName =
  { scope: 'regional'; project: string; region: string; name: string } | { scope: 'global' | 'zonal'; path: string };

/** `projects/P/regions/R/<REST collection of kind>/N` (a full URL is tolerated); undefined if neither that nor global/zonal. */
export function parseComputeName(resourceName: string, kind: ResourceKind): ComputeName | undefined {
  const path = resourceName.slice(Math.max(0, resourceName.indexOf('projects/')));
  const parts = path.split('/');
  if (parts[0] !== 'projects' || !parts[1]) return undefined;
  if (parts[2] === 'global') return { scope: 'global', path };
  if (parts[2] === 'zones') return { scope: 'zonal', path };
  const [, project, , region, collection, name] = parts as [string, string, string, string?, string?, string?];
  if (parts.length === 6 && parts[2] === 'regions' && region && collection === COLLECTION[kind] && name) {
    return { scope: 'regional', project, region, name };
  }
  return undefined;
}
