// Lint: typescript-eslint's recommended rules over the function, tests and bench, and the layering
// rules (eslint.layering.js, also checked in `npm test`).
const tseslint = require('typescript-eslint');
const layering = require('./eslint.layering');

module.exports = tseslint.config(
  { ignores: ['build/**', 'tools-build/**', 'node_modules/**', 'coverage/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Lazy `require` is how Google clients stay unloaded until a reconcile needs them (DESIGN.md principle 6).
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layering,
);
