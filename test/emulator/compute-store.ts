// The Compute resources the emulator holds, by partial path, with the indexes that keep a
// 10,000-service fleet linear: resources per list scope (project, region or global, collection),
// who references whom (a delete's "in use", a backend service's usedBy), and forwarding rules by
// region and IP (an address's users). Answers come in the order the resources were first stored,
// as a scan of one insertion-ordered map would give them.
import { isCollection, COLLECTIONS } from './compute-collections';
import { partialPath } from './compute-urls';
import type { Json } from './json';

/** `projects/P/regions/R/forwardingRules/` of `projects/P/regions/R/forwardingRules/NAME` */
export const scopeOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

export class ComputeStore {
  private readonly resources = new Map<string, Json>();
  /** first-stored order, so indexed answers keep the order a full scan would give */
  private readonly order = new Map<string, number>();
  private nextOrder = 0;
  private readonly scopes = new Map<string, Map<string, Json>>();
  /** referenced partial path → paths of the resources referencing it */
  private readonly referencedBy = new Map<string, Set<string>>();
  /** `scope\nIP` of forwarding rules → their paths */
  private readonly rulesByIp = new Map<string, Set<string>>();

  get(path: string): Json | undefined {
    return this.resources.get(path);
  }

  has(path: string): boolean {
    return this.resources.has(path);
  }

  entries(): IterableIterator<[string, Json]> {
    return this.resources.entries();
  }

  set(path: string, resource: Json): void {
    if (this.resources.has(path)) this.unindex(path, this.resources.get(path) as Json);
    else this.order.set(path, this.nextOrder++);
    this.resources.set(path, resource);
    const scope = scopeOf(path);
    let inScope = this.scopes.get(scope);
    if (!inScope) this.scopes.set(scope, (inScope = new Map()));
    inScope.set(path, resource);
    this.index(path, resource);
  }

  delete(path: string): void {
    const resource = this.resources.get(path);
    if (!resource) return;
    this.unindex(path, resource);
    this.resources.delete(path);
    this.order.delete(path);
    this.scopes.get(scopeOf(path))?.delete(path);
  }

  /** Edits a stored resource in place, keeping the indexes true of what it references after. */
  change(path: string, edit: (resource: Json) => void): Json | undefined {
    const resource = this.resources.get(path);
    if (!resource) return undefined;
    this.unindex(path, resource);
    edit(resource);
    this.index(path, resource);
    return resource;
  }

  clear(): void {
    this.resources.clear();
    this.order.clear();
    this.scopes.clear();
    this.referencedBy.clear();
    this.rulesByIp.clear();
  }

  /** Resources whose path is `scope` + a name (a list's collection in one project and region). */
  inScope(scope: string): Array<[string, Json]> {
    return [...(this.scopes.get(scope)?.entries() ?? [])];
  }

  /** Resources (of a regional collection) that reference `path`. */
  referencing(path: string): string[] {
    return this.ordered(this.referencedBy.get(path));
  }

  /** Forwarding rules in `scope` (…/forwardingRules/) whose IPAddress is `ip`. */
  rulesWithIp(scope: string, ip: unknown): string[] {
    return this.ordered(this.rulesByIp.get(`${scope}\n${String(ip)}`));
  }

  private ordered(paths: Set<string> | undefined): string[] {
    if (!paths) return [];
    return [...paths].sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }

  private index(path: string, resource: Json): void {
    for (const key of this.keys(path, resource)) {
      const [map, k] = key;
      let set = map.get(k);
      if (!set) map.set(k, (set = new Set()));
      set.add(path);
    }
  }

  private unindex(path: string, resource: Json): void {
    for (const [map, k] of this.keys(path, resource)) {
      const set = map.get(k);
      set?.delete(path);
      if (set?.size === 0) map.delete(k);
    }
  }

  private keys(path: string, resource: Json): Array<[Map<string, Set<string>>, string]> {
    const collection = path.split('/')[4];
    if (!isCollection(collection)) return [];
    const keys: Array<[Map<string, Set<string>>, string]> = COLLECTIONS[collection]
      .refs(resource)
      .map(([, value]) => [this.referencedBy, partialPath(value)]);
    if (collection === 'forwardingRules') keys.push([this.rulesByIp, `${scopeOf(path)}\n${String(resource.IPAddress)}`]);
    return keys;
  }
}
