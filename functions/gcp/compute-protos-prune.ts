// Prunes a protobufjs JSON descriptor (protos.json) down to some services and every type they
// reach. Why: @google-cloud/compute ships one 12 MB protos.json for ~100 services in three API
// versions; each client builds a protobuf Root of all of it (~80 MiB, most of a cold start), yet
// the remediator calls seven services (README, Performance).
//
// Pure: JSON in, JSON out. Names are resolved the way protobufjs resolves them (Namespace.lookup
// in protobufjs/src/namespace.js), so the pruned Root binds every kept name to the same type:
//   1. ".a.b" is absolute; "a.b" that names an object from the root wins next (fully qualified);
//   2. otherwise look in the enclosing namespace: the first segment among its members, else
//      depth-first inside each nested namespace, then the same in each parent up to the root;
//   3. a field resolves to a message or enum, a method's request/response to a message.
import { assertNever } from '../assert-never';

/** The protobufjs JSON shapes this file reads (protobufjs/index.d.ts INamespace and friends). */
export interface ProtoJson {
  nested?: Record<string, ProtoJson>;
  options?: Record<string, unknown>;
  fields?: Record<string, FieldJson>;
  oneofs?: Record<string, unknown>;
  values?: Record<string, number>;
  methods?: Record<string, { requestType: string; responseType: string; options?: Record<string, unknown> }>;
  /** Present on an extension field declared in a namespace. */
  id?: number;
  type?: string;
  extend?: string;
  [other: string]: unknown;
}
interface FieldJson {
  type: string;
  id: number;
  keyType?: string;
}

type Kind = 'type' | 'enum' | 'service' | 'field' | 'namespace';

/** protobufjs's scalar names (types.basic): these never name a message. */
const SCALARS = new Set([
  'double',
  'float',
  'int32',
  'uint32',
  'sint32',
  'fixed32',
  'sfixed32',
  'int64',
  'uint64',
  'sint64',
  'fixed64',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/** Same order of tests as Namespace.addJSON. */
function kindOf(json: ProtoJson): Kind {
  if (json.fields !== undefined) return 'type';
  if (json.values !== undefined) return 'enum';
  if (json.methods !== undefined) return 'service';
  if (json.id !== undefined) return 'field';
  return 'namespace';
}

/** Enums and fields hold no nested objects; everything else is a protobufjs Namespace. */
const isNamespace = (json: ProtoJson) => kindOf(json) !== 'enum' && kindOf(json) !== 'field';

/** One object in the tree, with its path from the root. */
interface Node {
  path: string[];
  json: ProtoJson;
}

/** Namespace.get: a Type also answers with its fields and oneofs, a Service with its methods. */
function member(json: ProtoJson, name: string): ProtoJson | undefined {
  const own = (table: Record<string, unknown> | undefined) =>
    table && Object.prototype.hasOwnProperty.call(table, name) ? (table[name] as ProtoJson) : undefined;
  return own(json.fields) ?? own(json.oneofs) ?? own(json.methods) ?? own(json.nested);
}

/** Namespace._lookupImpl: at `node` and below. */
function lookupBelow(node: Node, path: string[]): Node | undefined {
  const [first, ...rest] = path as [string, ...string[]];
  const found = member(node.json, first);
  if (found) {
    const child = { path: [...node.path, first], json: found };
    if (rest.length === 0) return child;
    return isNamespace(found) && node.json.nested?.[first] === found ? lookupBelow(child, rest) : undefined;
  }
  for (const [name, json] of Object.entries(node.json.nested ?? {})) {
    if (!isNamespace(json)) continue;
    const hit = lookupBelow({ path: [...node.path, name], json }, path);
    if (hit) return hit;
  }
  return undefined;
}

/** The object `path` (no leading dot) names from the root, if it names one. */
function byFullName(root: ProtoJson, path: string[]): Node | undefined {
  let json: ProtoJson | undefined = root;
  for (const name of path) json = json?.nested?.[name];
  return json ? { path, json } : undefined;
}

/** Namespace.lookup(name, kinds) from the namespace at `scope`. */
function resolve(root: ProtoJson, scope: string[], name: string, kinds: Kind[]): Node | undefined {
  const fits = (node: Node | undefined) => (node && kinds.includes(kindOf(node.json)) ? node : undefined);
  const path = name.split('.');
  if (path[0] === '') return fits(lookupBelow({ path: [], json: root }, path.slice(1)));
  const qualified = fits(byFullName(root, path));
  if (qualified) return qualified;
  for (let depth = scope.length; depth >= 0; depth--) {
    const namespace = byFullName(root, scope.slice(0, depth));
    const hit = namespace && fits(lookupBelow(namespace, path));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The descriptor with only `services` (full names, e.g. "google.cloud.compute.v1.Addresses") and
 * what they reach left under `apiNamespace` (e.g. "google.cloud.compute": all its versions);
 * everything outside it (google.api, google.protobuf, option extensions) is kept whole. A kept
 * message or service is kept whole (all fields, methods and nested types), so each kept object is
 * exactly its original JSON. Throws if a service or a reference cannot be resolved.
 */
export function pruneProtos(full: ProtoJson, services: string[], apiNamespace: string): ProtoJson {
  const api = apiNamespace.split('.');
  if (!byFullName(full, api)) throw new Error(`protos: no namespace ${apiNamespace}`);
  const kept = new Set<string>();
  const pending: Node[] = [];
  const keep = (node: Node) => {
    const name = node.path.join('.');
    if (kept.has(name)) return;
    kept.add(name);
    pending.push(node);
  };
  const reference = (scope: string[], name: string, kinds: Kind[], from: string) => {
    if (SCALARS.has(name)) return;
    const node = resolve(full, scope, name, kinds);
    if (!node) throw new Error(`protos: ${from} refers to ${name}, which does not resolve to a ${kinds.join(' or ')}`);
    keep(node);
  };

  for (const service of services) {
    const node = byFullName(full, service.split('.'));
    if (!node || kindOf(node.json) !== 'service') throw new Error(`protos: no service ${service}`);
    if (!service.startsWith(`${apiNamespace}.`)) throw new Error(`protos: service ${service} is outside ${apiNamespace}`);
    keep(node);
  }
  for (const node of outside(full, api)) keep(node);

  for (let node = pending.pop(); node; node = pending.pop()) {
    const name = node.path.join('.');
    const parent = node.path.slice(0, -1);
    const { json } = node;
    const kind = kindOf(json);
    switch (kind) {
      case 'service':
        for (const [method, { requestType, responseType }] of Object.entries(json.methods ?? {})) {
          reference(node.path, requestType, ['type'], `${name}.${method}`);
          reference(node.path, responseType, ['type'], `${name}.${method}`);
        }
        break;
      case 'type':
        for (const [field, spec] of Object.entries(json.fields ?? {})) {
          // Field.resolve looks up from the declaring type (an extension: from its own scope).
          reference(node.path, spec.type, ['type', 'enum'], `${name}.${field}`);
        }
        break;
      case 'field':
        reference(parent, json.type ?? '', ['type', 'enum'], name);
        if (json.extend) reference(parent, json.extend, ['type'], name);
        break;
      case 'enum':
      case 'namespace':
        // An enum references nothing; a namespace's references are its nested objects' (below).
        break;
      default:
        assertNever(kind);
    }
    // A kept object keeps its nested objects, whose references must resolve too.
    for (const [child, childJson] of Object.entries(json.nested ?? {})) keep({ path: [...node.path, child], json: childJson });
  }
  const onPath = new Set([...kept].flatMap((name) => name.split('.').map((_, i, parts) => parts.slice(0, i).join('.'))));
  return rebuild(full, [], kept, onPath);
}

/** Every top-level object outside the API namespace (siblings of each namespace on its path). */
function outside(root: ProtoJson, api: string[]): Node[] {
  const nodes: Node[] = [];
  for (let depth = 0; depth < api.length; depth++) {
    const here = byFullName(root, api.slice(0, depth)) as Node;
    for (const [name, json] of Object.entries(here.json.nested ?? {})) {
      if (name !== api[depth]) nodes.push({ path: [...here.path, name], json });
    }
  }
  return nodes;
}

/** The tree with kept objects whole and, on the way to them, namespaces with their options. */
function rebuild(json: ProtoJson, path: string[], kept: Set<string>, onPath: Set<string>): ProtoJson {
  const nested: Record<string, ProtoJson> = {};
  for (const [name, child] of Object.entries(json.nested ?? {})) {
    const childPath = [...path, name];
    const full = childPath.join('.');
    if (kept.has(full)) nested[name] = child;
    else if (onPath.has(full)) nested[name] = rebuild(child, childPath, kept, onPath);
  }
  return { ...json, nested };
}
