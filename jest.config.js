// Type-checking is done once for the whole tree by `tsc --noEmit` (npm run typecheck);
// ts-jest only transpiles here, so the suites start fast on a 2-core machine.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/functions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  testTimeout: 30000,
};
