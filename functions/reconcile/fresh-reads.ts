// Fresh reads of chain resources (the reads that decide a write and verify it), shared by the
// concurrent reconciles of one (project, region, kind): the names asked for while no read of that
// kind is on its way go out together as one filtered list (`name eq "a|b|c"`), or as a GET when
// only one was asked for. A read is joined only before it is sent, never after: every requester
// asked before the request left, so Google answers it with state at least as new as a GET sent at
// the moment the requester asked would have seen (README, "Level-triggered"; that Compute lists
// and GETs read the same state is docs/google-behaviour.md's). A read already on its way is never
// shared with a later asker: that one waits for the next read.
import type { ResourceKind } from '../config/mesh';
import type { MeshPort, Observed, RegionRef, ResourceRef } from '../gcp/port';
import { LIST_FILTER_NAMES } from '../gcp/port';

interface Asker {
  name: string;
  resolve(found: Observed<ResourceKind> | null): void;
  reject(error: unknown): void;
}

interface Lane {
  kind: ResourceKind;
  scope: RegionRef;
  /** Askers of the next read, not sent yet (the only batch anyone may join). */
  collecting: Asker[];
  /** Reads of this kind on their way. */
  inFlight: number;
  scheduled: boolean;
}

export class FreshReads {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly port: MeshPort) {}

  get<K extends ResourceKind>(kind: K, ref: ResourceRef): Promise<Observed<K> | null> {
    const key = `${ref.project}\u0000${ref.region}\u0000${kind}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { kind, scope: { project: ref.project, region: ref.region }, collecting: [], inFlight: 0, scheduled: false };
      this.lanes.set(key, lane);
    }
    const own = lane;
    const read = new Promise<Observed<K> | null>((resolve, reject) =>
      own.collecting.push({ name: ref.name, resolve: resolve as Asker['resolve'], reject }),
    );
    if (new Set(own.collecting.map((a) => a.name)).size >= LIST_FILTER_NAMES) this.send(key, own);
    else this.schedule(key, own);
    return read;
  }

  /**
   * Sends the collected batch once nothing of the lane is on its way; on the next turn of the
   * event loop, so reads asked for in the same turn (one reconcile's, or many answers arriving
   * together) share it.
   */
  private schedule(key: string, lane: Lane): void {
    if (lane.scheduled || lane.inFlight > 0 || lane.collecting.length === 0) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      if (lane.inFlight === 0 && lane.collecting.length > 0) this.send(key, lane);
    });
  }

  private send(key: string, lane: Lane): void {
    const { kind, scope } = lane;
    const batch = lane.collecting;
    lane.collecting = [];
    lane.inFlight += 1;
    const names = [...new Set(batch.map((a) => a.name))];
    const read: Promise<Map<string, Observed<ResourceKind>>> =
      names.length === 1
        ? this.port.get(kind, { ...scope, name: names[0] as string }).then((r) => new Map(r ? [[r.name, r]] : []))
        : this.port.list(kind, scope, names).then((found) => new Map(found.map((r) => [r.name, r])));
    read
      .then(
        (byName) => batch.forEach((a) => a.resolve(byName.get(a.name) ?? null)),
        (error: unknown) => batch.forEach((a) => a.reject(error)),
      )
      .finally(() => {
        lane.inFlight -= 1;
        if (lane.inFlight === 0 && lane.collecting.length === 0) this.lanes.delete(key);
        else this.schedule(key, lane);
      });
  }
}

/** `port` with its chain-resource GETs going through `fresh` (everything else unchanged). */
export function withFreshReads(port: MeshPort, fresh: FreshReads): MeshPort {
  return {
    listServices: (scope) => port.listServices(scope),
    list: (kind, scope, names) => port.list(kind, scope, names),
    getService: (ref) => port.getService(ref),
    setIngress: (ref, ingress, etag) => port.setIngress(ref, ingress, etag),
    setVpcAccess: (ref, vpcAccess, etag) => port.setVpcAccess(ref, vpcAccess, etag),
    get: (kind, ref) => fresh.get(kind, ref),
    insert: (kind, ref, resource, requestId) => port.insert(kind, ref, resource, requestId),
    mutate: (mutation) => port.mutate(mutation),
    delete: (kind, ref, requestId) => port.delete(kind, ref, requestId),
  };
}
