// Which code a child process (function or CLI) runs: the compiled build/ when it is at least as new
// as every source file under functions/ (CI builds it in `npm ci`, and a Node process starts in
// ~1 s from it), else the TypeScript source through ts-node (~4 s more per process, always
// current). Either way it is the same code; RELIABILITY_CODE=source or =build forces one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The repository root, found upwards from here (this file also runs compiled, from tools-build/test/support). */
export const ROOT = findRoot(__dirname);
const BUILD = join(ROOT, 'build');

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'functions'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

export interface FunctionCode {
  mode: 'build' | 'source';
  /** node arguments that must precede the entry file */
  nodeArgs: string[];
  /** the file to load for a module path like `functions/index` */
  file(modulePath: string): string;
  /** the deployable's entry, what the Functions Framework loads (package.json "main": functions/entry.cts) */
  entry: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    const compiled =
      (/\.c?ts$/.test(entry.name) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.json');
    return compiled ? [path] : [];
  });
}

/** True when every functions/**.ts (.cts) has its build/ .js (.cjs) counterpart (and every copied .json its copy), not older than it. */
export function buildIsCurrent(): boolean {
  // The build is incremental: tsc leaves an output whose content did not change untouched, but
  // rewrites its build info on every build that saw a change, so that time counts as built too.
  const buildInfo = join(BUILD, '.tsbuildinfo');
  const builtAt = existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0;
  return sources(join(ROOT, 'functions')).every((source) => {
    const built = join(BUILD, relative(ROOT, source))
      .replace(/\.ts$/, '.js')
      .replace(/\.cts$/, '.cjs');
    // tsc copies only the JSON files code imports; one it did not copy is not needed by the build.
    if (!existsSync(built)) return source.endsWith('.json');
    return Math.max(builtAt, statSync(built).mtimeMs) >= statSync(source).mtimeMs;
  });
}

let chosen: FunctionCode | undefined;

export function functionCode(): FunctionCode {
  if (chosen) return chosen;
  const forced = process.env.RELIABILITY_CODE;
  if (forced !== undefined && forced !== 'build' && forced !== 'source')
    throw new Error(`RELIABILITY_CODE must be build or source, got ${JSON.stringify(forced)}`);
  const useBuild = forced ? forced === 'build' : buildIsCurrent();
  chosen = useBuild
    ? { mode: 'build', nodeArgs: [], file: (modulePath) => join(BUILD, `${modulePath}.js`), entry: join(BUILD, 'functions', 'entry.cjs') }
    : {
        mode: 'source',
        nodeArgs: ['-r', 'ts-node/register/transpile-only'],
        file: (modulePath) => join(ROOT, `${modulePath}.ts`),
        entry: join(ROOT, 'functions', 'entry.cts'),
      };
  const why = forced ? 'RELIABILITY_CODE' : useBuild ? 'current' : 'build/ missing or older than the source';
  process.stderr.write(`[test kit] function and CLI processes run ${useBuild ? 'build/' : 'the TypeScript source via ts-node'} (${why})\n`);
  return chosen;
}

/**
 * Arguments for `node … -e script` run with ROOT as its working directory, where the script loads
 * product modules as `require('./functions/…')`: from build/ or through ts-node, as functionCode() chose.
 */
export function evalArgs(script: string): string[] {
  const code = functionCode();
  if (code.mode === 'source') return [...code.nodeArgs, '-e', script];
  return ['-e', script.replace(/require\((['"])\.\/functions\//g, 'require($1./build/functions/')];
}
