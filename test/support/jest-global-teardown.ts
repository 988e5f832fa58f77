// jest's global teardown: stops the run's shared Pub/Sub emulator, if a suite started one. In
// watch mode jest sets up and tears down around every run: the next run starts afresh.
import { SHARED_STATE_ENV, stopSharedPubSubEmulator } from './pubsub-emulator';
import { CREATED } from './jest-global-setup';

export default function globalTeardown(): void {
  const globals = globalThis as Record<symbol, unknown>;
  const stateDir = globals[CREATED];
  if (typeof stateDir !== 'string') return;
  stopSharedPubSubEmulator(stateDir);
  delete globals[CREATED];
  delete process.env[SHARED_STATE_ENV];
}
