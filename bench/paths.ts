// Where the built code lives: the bench runs from build/bench/ (npm run bench builds first).
import { join } from 'node:path';

export const BUILD = join(__dirname, '..');
export const ROOT = join(BUILD, '..');
export const PROBE = join(BUILD, 'bench', 'probe.js');
export const FUNCTION_SOURCE = join(BUILD, 'functions', 'index.js');
export const BARE_FUNCTION = join(BUILD, 'bench', 'baselines', 'bare-function.js');
export const NAIVE_FUNCTION = join(BUILD, 'bench', 'baselines', 'naive-function.js');
/** The function's own identity in every bench process: its writes are told apart from people's. */
export { SELF_PRINCIPAL } from '../test/support/identity';
