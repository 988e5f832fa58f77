// jest's global setup: a directory through which the run's suites share one Pub/Sub emulator,
// started by the first suite that needs it (pubsub-emulator.ts), so a run that needs none starts none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_STATE_ENV } from './pubsub-emulator';

/** Set when this setup made the directory: the teardown then stops what it holds (jest shares globalThis between the two). */
export const CREATED = Symbol.for('mesh-remediator.shared-pubsub-state');

export default function globalSetup(): void {
  // An emulator the developer named is used as it is; a directory already set belongs to an outer run.
  if (process.env.PUBSUB_EMULATOR_HOST || process.env[SHARED_STATE_ENV]) return;
  // Workers are started after this and inherit the environment.
  const stateDir = mkdtempSync(join(tmpdir(), 'pubsub-shared-'));
  process.env[SHARED_STATE_ENV] = stateDir;
  (globalThis as Record<symbol, unknown>)[CREATED] = stateDir;
}
