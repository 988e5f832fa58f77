// Where the built code lives: the bench runs from tools-build/bench/ and measures the product's own
// build, build/functions/ (npm run bench builds both first), through the entry that deploys
// (entry.cjs, package.json "main"). The baselines are CommonJS by extension too (.cts → .cjs), so
// the Functions Framework loads every subject the same way (functions/entry.cts says why it matters).
import { join } from 'node:path';
import { ROOT } from '../test/support/function-code';

const TOOLS_BUILD = join(__dirname, '..');
export { ROOT };
export const PROBE = join(TOOLS_BUILD, 'bench', 'probe.js');
export const FUNCTION_SOURCE = join(ROOT, 'build', 'functions', 'entry.cjs');
export const BARE_FUNCTION = join(TOOLS_BUILD, 'bench', 'baselines', 'bare-function.cjs');
export const NAIVE_FUNCTION = join(TOOLS_BUILD, 'bench', 'baselines', 'naive-function.cjs');
/** The function's own identity in every bench process: its writes are told apart from people's. */
export { SELF_PRINCIPAL } from '../test/support/identity';
