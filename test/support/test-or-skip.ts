// `test` where the case can run; elsewhere `test.skip` with the reason in the test's name, so jest
// lists the case as skipped, with why, instead of counting an empty pass.
import { test } from '@jest/globals';

type TestBody = Parameters<typeof test>[1];
export type MaybeTest = (name: string, fn: TestBody, timeout?: number) => void;

export function testOrSkip(runnable: boolean, reason: string): MaybeTest {
  if (runnable) return test;
  return (name, fn, timeout) => test.skip(`${name} [skipped: ${reason}]`, fn, timeout);
}
