// ts-jest only transpiles (isolatedModules in tsconfig.json), so suites start fast; the whole tree
// is type-checked once by its own suite (test/architecture/typecheck.test.ts), beside the others.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/functions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/no-metadata-server.ts'],
  // One Pub/Sub emulator for the whole run, started by the first suite that needs it (test/support/pubsub-emulator.ts).
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
  // Long-running suites first on a clean clone, so none is left for the end of the run (test/support/jest-sequencer.js).
  testSequencer: '<rootDir>/test/support/jest-sequencer.js',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // More workers than cores: jest's default is one fewer than the cores (one on a 2-core machine),
  // and most suites wait on child processes (emulators, function processes, terraform), so three
  // workers on two cores overlap that waiting (measured on a clean clone: jest 189 s with two, 178 s with three).
  maxWorkers: '150%',
};
