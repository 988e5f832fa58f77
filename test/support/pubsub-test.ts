// `test` for the cases that need Google's Pub/Sub emulator; where it cannot run, `test.skip` with
// the reason in the test's name, so jest lists the case as skipped, with why, instead of counting
// an empty pass. (Its own file: the demo imports pubsub-emulator.ts outside jest.)
import { test } from '@jest/globals';
import { PUBSUB_EMULATOR_MISSING, pubSubEmulatorAvailable } from './pubsub-emulator';

type TestBody = Parameters<typeof test>[1];

export function pubSubTest(): (name: string, fn: TestBody, timeout?: number) => void {
  if (pubSubEmulatorAvailable()) return test;
  return (name, fn, timeout) => test.skip(`${name} [skipped: ${PUBSUB_EMULATOR_MISSING}]`, fn, timeout);
}
