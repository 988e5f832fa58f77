// The periodic safety net (Cloud Scheduler → HTTP, or one Pub/Sub message per shard): reconcile
// every declared service, catching whatever events were lost. Work is cut into shards, one per
// (project, region): a shard lists each resource kind and its Cloud Run services once, then
// reconciles each of its declared services against that snapshot (only drift costs GETs, to
// confirm before writing and to verify after). SWEEP_SNAPSHOTS=false reads per service instead.
import { mapConcurrent } from './concurrency';
import type { DeclaredService } from './config/mesh';
import type { RegionRef } from './gcp/port';
import type { Outcome, OutcomeStatus } from './reconcile/model';
import type { RegionSnapshot } from './reconcile/snapshot';
import type { UsableDeps } from './composition-root';

export interface SweepSummary {
  services: number;
  byStatus: Partial<Record<OutcomeStatus, number>>;
  /** Services whose reconcile threw, or whose shard could not be listed (reported, the sweep goes on). */
  errors: { serviceKey: string; message: string }[];
  durationMs: number;
}

/**
 * Shards listed and reconciled at once by one sweep process. The work is CPU-bound once the lists
 * have arrived (decoding and diffing), so more in flight buys no speed on one Node thread, only
 * memory: at 250 services per shard, 4 keep the sweep within the 256 MiB memory tier (README,
 * Performance) while the next shard's lists are on the wire as the current one is diffed.
 */
export const SHARDS_AT_ONCE = 4;

export interface SweepOptions {
  dryRun?: boolean;
}

/** The (project, region) shards of a mesh, in declaration order. */
export function shardsOf(services: readonly DeclaredService[]): RegionRef[] {
  const seen = new Map<string, RegionRef>();
  for (const s of services)
    if (!seen.has(`${s.project}/${s.region}`)) seen.set(`${s.project}/${s.region}`, { project: s.project, region: s.region });
  return [...seen.values()];
}

/** The sweep's summary, and the outcomes of the services that were not in sync. */
export async function sweepAll(runtime: UsableDeps, options: SweepOptions = {}): Promise<{ summary: SweepSummary; outcomes: Outcome[] }> {
  const started = performance.now();
  await runtime.warm();
  const shards = shardsOf(runtime.mesh.services);
  // A few shards at a time, each bounding its own reconciles (quotas are per project anyway):
  // a shard's lists stay in memory until its services are diffed, so all at once would hold
  // the whole fleet's resources at the same moment.
  const results = await mapConcurrent(shards, SHARDS_AT_ONCE, (shard) => reconcileShard(runtime, shard, options));
  await runtime.notifier.flush();
  const summary = joinSummaries(
    results.map((r) => r.summary),
    performance.now() - started,
  );
  runtime.logger.log(
    summary.errors.length > 0 ? 'ERROR' : 'INFO',
    `sweep of ${summary.services} services in ${shards.length} shard(s) done`,
    { sweep: summary },
  );
  return { summary, outcomes: results.flatMap((r) => r.outcomes) };
}

/** One shard: its snapshot, then every declared service of it reconciled against the snapshot (outcomes: not in sync). */
export async function sweepShard(
  runtime: UsableDeps,
  shard: RegionRef,
  options: SweepOptions = {},
): Promise<{ summary: SweepSummary; outcomes: Outcome[] }> {
  await runtime.warm();
  const result = await reconcileShard(runtime, shard, options);
  await runtime.notifier.flush();
  runtime.logger.log(
    result.summary.errors.length > 0 ? 'ERROR' : 'INFO',
    `sweep shard ${shard.project}/${shard.region}: ${result.summary.services} services done`,
    { sweep: result.summary, shard },
  );
  return result;
}

async function reconcileShard(
  runtime: UsableDeps,
  shard: RegionRef,
  options: SweepOptions,
): Promise<{ summary: SweepSummary; outcomes: Outcome[] }> {
  const started = performance.now();
  const keys = runtime.mesh.services.filter((s) => s.project === shard.project && s.region === shard.region).map((s) => s.key);
  const errors: SweepSummary['errors'] = [];
  // A shard no declared service is in (the mesh changed after its message was published) has nothing to list.
  if (keys.length === 0) return { summary: summarise(0, [], errors, performance.now() - started), outcomes: [] };
  let snapshot: RegionSnapshot | undefined;
  if (runtime.environment.sweepSnapshots) {
    try {
      snapshot = await runtime.snapshot(shard);
    } catch (err) {
      const message = `listing ${shard.project}/${shard.region} failed: ${err instanceof Error ? err.message : String(err)}`;
      errors.push(...keys.map((serviceKey) => ({ serviceKey, message })));
      return { summary: summarise(keys.length, [], errors, performance.now() - started), outcomes: [] };
    }
  }
  const results = await mapConcurrent(keys, runtime.environment.sweepConcurrency, async (key) => {
    try {
      return await runtime.reconcile(
        key,
        { ...(options.dryRun ? { dryRun: true } : {}), ...(snapshot ? { snapshot } : {}) },
        { sweep: true },
      );
    } catch (err) {
      errors.push({ serviceKey: key, message: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  });
  const outcomes = results.filter((o): o is Outcome => o !== undefined);
  const summary = summarise(keys.length, outcomes, errors, performance.now() - started);
  // In-sync services are counted in the summary only: holding 10,000 outcomes costs memory for nothing.
  return { summary, outcomes: outcomes.filter((o) => o.status !== 'in-sync') };
}

function summarise(services: number, outcomes: readonly Outcome[], errors: SweepSummary['errors'], ms: number): SweepSummary {
  const byStatus: SweepSummary['byStatus'] = {};
  for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  return { services, byStatus, errors, durationMs: Math.round(ms) };
}

/** Shards' summaries joined into the sweep's (durationMs: the given wall time). */
export function joinSummaries(parts: readonly SweepSummary[], wallMs: number): SweepSummary {
  const byStatus: SweepSummary['byStatus'] = {};
  for (const part of parts) {
    for (const [status, n] of Object.entries(part.byStatus) as Array<[OutcomeStatus, number]>)
      byStatus[status] = (byStatus[status] ?? 0) + n;
  }
  return {
    services: parts.reduce((n, p) => n + p.services, 0),
    byStatus,
    errors: parts.flatMap((p) => p.errors),
    durationMs: Math.round(wallMs),
  };
}
