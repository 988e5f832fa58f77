#!/usr/bin/env node
// Thin launcher for the compiled CLI (npm ci runs `prepare`, which builds the product into build/).
require('../build/functions/cli/main.js')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
