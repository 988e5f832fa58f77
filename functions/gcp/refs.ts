// Compute references come back as full URLs
// (https://www.googleapis.com/compute/v1/projects/p/regions/r/urlMaps/m) but may be written as
// partial paths (projects/p/regions/r/urlMaps/m). Compare and build them through here only.
import { COLLECTION, type ResourceKind } from '../config/mesh';
import type { ResourceRef } from './port';

export const COMPUTE_URL_BASE = 'https://www.googleapis.com/compute/v1/';

/** `projects/...` form of any Compute reference (full URL, beta URL or partial path). */
export function partialPath(ref: string): string {
  const at = ref.indexOf('projects/');
  return at >= 0 ? ref.slice(at).replace(/\/+$/, '') : ref;
}

/** True when two references name the same resource, whatever form each is written in. */
export function sameRef(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return partialPath(a) === partialPath(b);
}

export function regionalPath(kind: ResourceKind, ref: ResourceRef): string {
  return `projects/${ref.project}/regions/${ref.region}/${COLLECTION[kind]}/${ref.name}`;
}

export function regionalUrl(kind: ResourceKind, ref: ResourceRef): string {
  return COMPUTE_URL_BASE + regionalPath(kind, ref);
}

/** Full URL for a partial path such as a declared network or subnetwork. */
export function toUrl(ref: string): string {
  return COMPUTE_URL_BASE + partialPath(ref);
}

/** Last path segment: the resource name. */
export function nameOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}
