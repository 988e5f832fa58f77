// jest's global teardown: stops the run's shared Pub/Sub emulator, if a suite started one.
import { SHARED_STATE_ENV, stopSharedPubSubEmulator } from './pubsub-emulator';

export default function globalTeardown(): void {
  const stateDir = process.env[SHARED_STATE_ENV];
  if (stateDir) stopSharedPubSubEmulator(stateDir);
}
