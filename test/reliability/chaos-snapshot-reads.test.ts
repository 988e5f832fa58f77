// Chaos over the snapshot read path (events batched into filtered lists, fresh reads shared as
// filtered lists, the sweep listing each shard): harness/chaos-suite.ts, in its own file so it runs
// beside the per-resource one. CI runs 8 scenarios (+4 with recreate), full scale
// (RELIABILITY_SCALE=full) 200 (+40).
import { describeChaos } from './harness/chaos-suite';
import { READ_PATHS } from './harness/read-paths';
import { readScale } from './harness/scale';

const scale = readScale();
describeChaos(
  scale,
  READ_PATHS.find((p) => p.lists)!,
  scale.snapshotChaosScenarios,
);
