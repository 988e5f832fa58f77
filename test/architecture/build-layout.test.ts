// What each build holds: build/ (tsconfig.dev.json, `npm run build`, run by `npm ci`) is the product
// alone — functions/ with its CLI, what bin/mesh-remediator.js loads — and the tooling (emulator,
// test kit, demo, bench) compiles apart into tools-build/ (tsconfig.tools.json). The deployable
// archive has its own, narrower config (tsconfig.build.json; test/deploy/archive.test.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/function-code';
import { testOrSkip } from '../support/test-or-skip';

/** The files a tsconfig compiles, as tsc resolves its include/exclude (imports aside). */
function rootFiles(config: string): string[] {
  const path = join(ROOT, config);
  const { config: json } = ts.readConfigFile(path, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(json, ts.sys, ROOT, undefined, path);
  return parsed.fileNames.map((file) => file.slice(ROOT.length + 1));
}

function outDir(config: string): string | undefined {
  const path = join(ROOT, config);
  const { config: json } = ts.readConfigFile(path, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(json, ts.sys, ROOT, undefined, path).options.outDir?.slice(ROOT.length + 1);
}

test('the dev build compiles the product alone into build/', () => {
  const files = rootFiles('tsconfig.dev.json');
  expect(files).toContain('functions/index.ts');
  expect(files).toContain('functions/cli/main.ts');
  expect(files.filter((file) => !file.startsWith('functions/') || file.endsWith('.test.ts'))).toEqual([]);
  expect(outDir('tsconfig.dev.json')).toBe('build');
  expect(readFileSync(join(ROOT, 'bin/mesh-remediator.js'), 'utf8')).toContain("require('../build/functions/cli/main.js')");
});

test('the tooling compiles into tools-build/, the scripts run it from there', () => {
  const files = rootFiles('tsconfig.tools.json');
  for (const entry of ['test/emulator/command.ts', 'test/support/function-process.ts', 'test/demo/run.ts', 'bench/run.ts'])
    expect(files).toContain(entry);
  expect(files.filter((file) => file.startsWith('functions/') || file.endsWith('.test.ts'))).toEqual([]);
  expect(outDir('tsconfig.tools.json')).toBe('tools-build');
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  // TypeScript 6 by path: `tsc` in node_modules/.bin may be TypeScript 7's (typescript-native, the type-check).
  const tsc = 'node node_modules/typescript/bin/tsc';
  expect(scripts.build).toBe(`${tsc} -p tsconfig.dev.json && ${tsc} -p tsconfig.tools.json`);
  expect(scripts.demo).toBe('npm run build && node tools-build/test/demo/run.js');
  expect(scripts.bench).toBe('npm run build && node tools-build/bench/run.js');
});

// After `npm ci` (always in CI) build/ exists: it must hold nothing but the product's output. A
// checkout built before tools-build/ existed still has build/test and build/bench: rm -rf build and rebuild.
const built = existsSync(join(ROOT, 'build'));
testOrSkip(built, 'no build/ (npm run build)')('build/ holds only functions/ (no test or bench code)', () => {
  expect(readdirSync(join(ROOT, 'build')).sort()).toEqual(['.tsbuildinfo', 'functions']);
});
