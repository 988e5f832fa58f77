// Resource names of a declared chain: `<namePrefix>-<suffix>` (deploy/examples/blog's Terraform naming) unless
// overridden per kind. GCE names follow RFC 1035: 1-63 characters, [a-z]([-a-z0-9]*[a-z0-9])?.
import { NAME_SUFFIX, RESOURCE_KINDS, type ResourceKind, type ResourceNames } from './mesh';

export const GCE_NAME_MAX = 63;
const GCE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function isGceName(name: string): boolean {
  return name.length <= GCE_NAME_MAX && GCE_NAME.test(name);
}

export function deriveNames(namePrefix: string, overrides: Partial<ResourceNames> = {}): ResourceNames {
  const names = {} as ResourceNames;
  for (const kind of RESOURCE_KINDS) names[kind] = overrides[kind] ?? `${namePrefix}-${NAME_SUFFIX[kind]}`;
  return names;
}

/** Kinds whose name came from the prefix rather than an override (their problems point at namePrefix). */
export function derivedKinds(overrides: Partial<ResourceNames> = {}): ResourceKind[] {
  return RESOURCE_KINDS.filter((kind) => overrides[kind] === undefined);
}
