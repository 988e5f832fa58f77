// jest's global setup: a directory through which the run's suites share one Pub/Sub emulator,
// started by the first suite that needs it (pubsub-emulator.ts), so a run that needs none starts none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_STATE_ENV } from './pubsub-emulator';

export default function globalSetup(): void {
  // An emulator the developer named is used as it is; a directory already set belongs to an outer run.
  if (process.env.PUBSUB_EMULATOR_HOST || process.env[SHARED_STATE_ENV]) return;
  // Workers are started after this and inherit the environment.
  process.env[SHARED_STATE_ENV] = mkdtempSync(join(tmpdir(), 'pubsub-shared-'));
}
