// Lint: typescript-eslint's recommended rules over the function, tests and bench.
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['build/**', 'node_modules/**', 'coverage/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
