// `test` for the cases that need Google's Pub/Sub emulator; where it cannot run, skipped with the
// reason in the test's name (test-or-skip.ts). (Its own file: the demo imports pubsub-emulator.ts outside jest.)
import { PUBSUB_EMULATOR_MISSING, pubSubEmulatorAvailable } from './pubsub-emulator';
import { testOrSkip, type MaybeTest } from './test-or-skip';

export function pubSubTest(): MaybeTest {
  return testOrSkip(pubSubEmulatorAvailable(), PUBSUB_EMULATOR_MISSING);
}
