// The two ways a reconcile reads, each suite run over both: per resource (every read a GET) and
// through snapshots (events of one project-region batched into filtered lists, the sweep listing
// each shard, fresh reads shared as filtered lists). Each run proves which path it took from the
// emulator's request counts, so a variant that silently fell back to GETs fails.
import { totalCalls, type Emulator } from '../../emulator';

export interface ReadPath {
  name: string;
  /** the function's environment for this path */
  env: Record<string, string>;
  /** the run must (true) or must not (false) have listed */
  lists: boolean;
}

export const READ_PATHS: readonly ReadPath[] = [
  { name: 'per-resource reads', env: { READ_BATCH_WINDOW_MS: '0', SWEEP_SNAPSHOTS: 'false' }, lists: false },
  // A wider window than the default 20 ms: deliveries that arrive together on a loaded machine
  // still share their first read.
  { name: 'snapshot reads', env: { READ_BATCH_WINDOW_MS: '100', SWEEP_SNAPSHOTS: 'true' }, lists: true },
];

/** List calls (Compute lists, Cloud Run service lists) the emulator has answered since its last reset. */
export function listCalls(emulator: Emulator): number {
  return totalCalls(emulator.requests(), { method: /\.list$|ListServices$/ });
}
