// `test` (or `describe`) where the cases can run; elsewhere `.skip` with the reason in the name, so
// jest lists them as skipped, with why, instead of counting an empty pass.
import { describe, test } from '@jest/globals';

type TestBody = Parameters<typeof test>[1];
export type MaybeTest = (name: string, fn: TestBody, timeout?: number) => void;

export function testOrSkip(runnable: boolean, reason: string): MaybeTest {
  if (runnable) return test;
  // Skipped with the caller's reason in the title: jest prints "name [skipped: reason]".
  return (name, fn, timeout) => test.skip(`${name} [skipped: ${reason}]`, fn, timeout);
}

export type MaybeDescribe = (name: string, fn: () => void) => void;

export function describeOrSkip(runnable: boolean, reason: string): MaybeDescribe {
  if (runnable) return describe;
  // Skipped with the caller's reason in the title, as testOrSkip.
  return (name, fn) => describe.skip(`${name} [skipped: ${reason}]`, fn);
}
