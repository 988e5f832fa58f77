// Writes compute-protos.generated.json from the installed @google-cloud/compute. Run it after
// upgrading @google-cloud/compute or adding a compute client to clients.ts:
//   npx ts-node --transpile-only -P tsconfig.json functions/gcp/compute-protos-generate.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeServiceNames } from './clients';
import { COMPUTE_PROTOS_ID } from './compute-protos';
import { pruneProtos, type ProtoJson } from './compute-protos-prune';

export const GENERATE_COMMAND = 'npx ts-node --transpile-only -P tsconfig.json functions/gcp/compute-protos-generate.ts';
export const GENERATED_SOURCE = join(__dirname, 'compute-protos.generated.json');

/** The pruned descriptor for the installed package and the clients in clients.ts. */
export function generateComputeProtos(): ProtoJson {
  // Read, not require: require would meet the pruned copy clients.ts may have cached there.
  const full = JSON.parse(readFileSync(COMPUTE_PROTOS_ID, 'utf8')) as ProtoJson;
  return pruneProtos(full, computeServiceNames(), 'google.cloud.compute');
}

export function serializeProtos(json: ProtoJson): string {
  return `${JSON.stringify(json)}\n`;
}

if (require.main === module) {
  const json = generateComputeProtos();
  writeFileSync(GENERATED_SOURCE, serializeProtos(json));
  process.stdout.write(`wrote ${GENERATED_SOURCE} (${Buffer.byteLength(serializeProtos(json))} bytes)\n`);
}
