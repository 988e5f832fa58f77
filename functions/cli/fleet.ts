// Reading the declared services as a reconcile would, writing nothing and telling no one: what
// `diff` and `status` show. A dry-run reconcile per service, as many at once as SWEEP_CONCURRENCY.
import { mapConcurrent } from '../concurrency';
import type { Outcome } from '../reconcile/model';
import type { CliDeps } from '../composition-root';

export function readFleet(runtime: CliDeps, keys: string[]): Promise<Outcome[]> {
  return mapConcurrent(keys, runtime.environment.sweepConcurrency, (key) => runtime.reconciler.reconcile(key, { dryRun: true }));
}
