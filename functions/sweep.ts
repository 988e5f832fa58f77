// The periodic safety net (Cloud Scheduler → HTTP): reconcile every declared service, catching
// whatever events were lost. Bounded concurrency, and a per-API rate cap so a large mesh stays
// under Cloud Run Admin and Compute read quotas.
import { mapConcurrent } from './concurrency';
import type { Outcome, OutcomeStatus } from './reconcile/model';
import type { Runtime } from './runtime';

export interface SweepSummary {
  services: number;
  byStatus: Partial<Record<OutcomeStatus, number>>;
  /** Services whose reconcile threw (reported, the sweep goes on). */
  errors: { serviceKey: string; message: string }[];
  durationMs: number;
}

export async function sweepAll(runtime: Runtime, options: { dryRun?: boolean } = {}): Promise<{ summary: SweepSummary; outcomes: Outcome[] }> {
  const started = performance.now();
  const keys = runtime.mesh.services.map((s) => s.key);
  await runtime.warm();
  const errors: SweepSummary['errors'] = [];
  const results = await mapConcurrent(keys, runtime.env.sweepConcurrency, async (key) => {
    try {
      return await runtime.reconcile(key, options.dryRun ? { dryRun: true } : {});
    } catch (err) {
      errors.push({ serviceKey: key, message: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  });
  await runtime.notifier.flush();
  const outcomes = results.filter((o): o is Outcome => o !== undefined);
  const byStatus: SweepSummary['byStatus'] = {};
  for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  const summary = { services: keys.length, byStatus, errors, durationMs: Math.round(performance.now() - started) };
  runtime.logger.log(errors.length > 0 ? 'ERROR' : 'INFO', `sweep of ${keys.length} services done`, { sweep: summary });
  return { summary, outcomes };
}
