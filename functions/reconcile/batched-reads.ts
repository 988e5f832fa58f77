// Event-driven reconciles of one project-region that start within a short window share their
// read: one filtered list per kind (and the location's service list) instead of seven GETs each,
// when that is fewer calls. A lone reconcile still reads with GETs (fresh). A shared read is a
// snapshot: the reconciler confirms what it would change with fresh reads before writing.
// A region has one read on its way at a time: reconciles that ask meanwhile wait for it and share
// the next one. When events trickle in (each finished repair frees a push for the next), that is
// what keeps their reads shared: a window alone would send most of them as lone GET rounds.
import { RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../config/mesh';
import { LIST_FILTER_NAMES, type MeshPort } from '../gcp/port';
import { observe, type ObservedMesh } from './observe';
import type { RetryOptions } from './retry';
import { observedIn, takeSnapshot, type SnapshotNames } from './snapshot';

export interface FirstRead {
  observed: ObservedMesh;
  /** true: per-resource GETs made for this reconcile; false: a shared snapshot */
  fresh: boolean;
}

interface Waiting {
  svc: DeclaredService;
  resolve(read: FirstRead): void;
  reject(error: unknown): void;
}

const RUN_PAGE = 500;
const GETS_PER_SERVICE = 1 + RESOURCE_KINDS.length;

interface Region {
  /** Askers of the next read, not sent yet. */
  collecting: Waiting[];
  /** The window since the first of them asked has passed. */
  due: boolean;
  /** A read of this region is on its way (lists or GETs). */
  inFlight: boolean;
}

export class BatchedReads {
  private readonly regions = new Map<string, Region>();
  /** Services last seen per location: how many pages its service list costs. */
  private readonly servicesSeen = new Map<string, number>();

  constructor(
    private readonly port: MeshPort,
    private readonly retry: RetryOptions,
    private readonly windowMs: number,
  ) {}

  read(svc: DeclaredService): Promise<FirstRead> {
    const key = `${svc.project}/${svc.region}`;
    let region = this.regions.get(key);
    if (!region) {
      region = { collecting: [], due: false, inFlight: false };
      this.regions.set(key, region);
    }
    const own = region;
    if (own.collecting.length === 0)
      setTimeout(() => {
        own.due = true;
        this.send(key, own);
      }, this.windowMs);
    return new Promise<FirstRead>((resolve, reject) => own.collecting.push({ svc, resolve, reject }));
  }

  /** Sends the collected askers' read once their window has passed and nothing of the region is on its way. */
  private send(key: string, region: Region): void {
    if (!region.due || region.inFlight || region.collecting.length === 0) return;
    const batch = region.collecting;
    region.collecting = [];
    region.due = false;
    region.inFlight = true;
    void this.flush(key, batch).finally(() => {
      region.inFlight = false;
      if (region.collecting.length === 0) this.regions.delete(key);
      else this.send(key, region);
    });
  }

  /** Calls a shared list read would cost for these services, against a GET each. */
  listCost(location: string, services: number): number {
    const runPages = Math.max(1, Math.ceil((this.servicesSeen.get(location) ?? 0) / RUN_PAGE));
    return RESOURCE_KINDS.length * Math.ceil(services / LIST_FILTER_NAMES) + runPages;
  }

  private async flush(location: string, batch: Waiting[]): Promise<void> {
    const distinct = [...new Map(batch.map((w) => [w.svc.key, w.svc])).values()];
    if (this.listCost(location, distinct.length) >= GETS_PER_SERVICE * distinct.length) {
      await Promise.all(
        batch.map((w) => observe(this.port, w.svc, this.retry).then((observed) => w.resolve({ observed, fresh: true }), w.reject)),
      );
      return;
    }
    const first = distinct[0] as DeclaredService;
    const names = Object.fromEntries(
      RESOURCE_KINDS.map((kind) => [kind, [...new Set(distinct.map((s) => s.loadBalancer.names[kind]))]]),
    ) as Required<SnapshotNames> & Record<ResourceKind, string[]>;
    try {
      const snapshot = await takeSnapshot(this.port, { project: first.project, region: first.region }, this.retry, names);
      this.servicesSeen.set(location, snapshot.services.size);
      for (const w of batch) w.resolve({ observed: observedIn(snapshot, w.svc), fresh: false });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
