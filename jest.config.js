// Type-checking is done once for the whole tree by `tsc --noEmit`, beside jest (test/support/test-run.js);
// jest only transpiles (isolatedModules in tsconfig.json), so suites start fast.
const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/functions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/no-metadata-server.ts', '<rootDir>/test/support/compute-protos-in-jest.ts'],
  // One Pub/Sub emulator for the whole run, started by the first suite that needs it (test/support/pubsub-emulator.ts).
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
  // Long-running suites first on a clean clone, so none is left for the end of the run (test/support/jest-sequencer.js).
  testSequencer: '<rootDir>/test/support/jest-sequencer.js',
  // SWC strips the types file by file (isolatedModules semantics, as the type-check assumes), hoists
  // jest.mock like ts-jest and maps stack traces with inline source maps; emit as tsconfig.json
  // (ES2023, CommonJS, esModuleInterop-style interop).
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' }, sourceMaps: 'inline' },
    ],
  },
  testTimeout: 30000,
  // One and a half workers per core (3 on a 2-core machine); jest's default is one fewer than the
  // cores. Most suites spend much of their time waiting on child processes, deadlines and pushes:
  // with one worker per core a whole run used ~300 core-s in ~190-205 s, a quarter of the cores
  // idle. A number, not '150%': jest reads a percentage above 100 as that many workers (150).
  maxWorkers: Math.max(1, Math.round(availableParallelism() * 1.5)),
  // How long jest waits for a worker to exit at the end before killing it and printing "A worker
  // process has failed to exit gracefully". A worker ends the run with 250-550 MB of heap (the
  // suites' module registries), and Node 22 takes ~0.7 s to free a 440 MB heap at exit: past the
  // 500 ms default, with nothing leaking. A handle left open still shows, 2 s later.
  workerGracefulExitTimeout: 2000,
};
