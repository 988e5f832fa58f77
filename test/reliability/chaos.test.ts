// Chaos over the per-resource read path (every read a GET): harness/chaos-suite.ts. CI runs 20
// scenarios (+4 with recreate), full scale (RELIABILITY_SCALE=full) 200 (+40).
import { describeChaos } from './harness/chaos-suite';
import { READ_PATHS } from './harness/read-paths';
import { readScale } from './harness/scale';

const scale = readScale();
describeChaos(
  scale,
  READ_PATHS.find((p) => !p.lists)!,
  scale.chaosScenarios,
);
