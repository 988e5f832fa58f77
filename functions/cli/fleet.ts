// Reading the declared services as a reconcile would, writing nothing and telling no one: what
// `diff` and `status` show. A dry-run reconcile per service, as many at once as SWEEP_CONCURRENCY.
import { mapConcurrent } from '../concurrency';
import type { Outcome } from '../reconcile/model';
import type { CliDeps } from '../composition-root';
import type { CliIO } from './command';
import { sayWhileGoogleAnswers } from './waiting';

/** Says what it waits for when Google is slow to answer (waiting.ts). */
export function readFleet(io: CliIO, runtime: CliDeps, keys: string[]): Promise<Outcome[]> {
  const reads = mapConcurrent(keys, runtime.environment.sweepConcurrency, (key) => runtime.reconciler.reconcile(key, { dryRun: true }));
  return sayWhileGoogleAnswers(io, runtime, reads);
}
