// `npm run package`: the function's deployable archive, and nothing else. It compiles only what
// functions/index.ts imports (tsconfig.build.json: no CLI, no tests, no emulator, demo or bench),
// adds package.json without its scripts (the runtime's buildpack then only installs the
// dependencies: nothing is compiled or run at deploy time) and the lock file, and zips it
// deterministically. The name carries the zip's sha256, so new code is a new object name and
// Terraform sees a change; the same code packs to the same name.
//   npm run package [-- --out DIR]      prints the archive's path
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import ts from 'typescript';

export const REPO_ROOT = join(__dirname, '..');
export const ARCHIVE_PREFIX = 'mesh-remediator-';
const BUILD_CONFIG = join(REPO_ROOT, 'tsconfig.build.json');
/** Zip timestamps are fixed, so the bytes (and the name) depend on the content alone. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

interface PackageJson {
  scripts?: Record<string, string>;
  bin?: unknown;
  [key: string]: unknown;
}

/** package.json as deployed: no scripts (no prepare/build at install time), no CLI entry. */
export function deployedPackageJson(source: PackageJson): PackageJson {
  const { scripts: _scripts, bin: _bin, ...rest } = source;
  return rest;
}

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();
}

/**
 * Compiles the function into `staging/build` with tsconfig.build.json. Without typeCheck it only
 * emits (the same output: every file is compiled on its own, isolatedModules), for callers that
 * have type-checked the tree already.
 */
function compile(staging: string, typeCheck: boolean): void {
  if (!typeCheck) return emitOnly(join(staging, 'build'));
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', BUILD_CONFIG, '--outDir', join(staging, 'build')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${result.stdout}${result.stderr}`);
}

/**
 * tsconfig.build.json's emit without a type check. Emitting a file needs only its own text
 * (isolatedModules), so only the repository's files are read: imports of packages are left
 * unresolved instead of loading the ~1M lines of declarations the Google clients ship (~12 s),
 * and the standard library's and @types/node's declarations are not read either (~1.2 s).
 */
function emitOnly(outDir: string): void {
  const { config } = ts.readConfigFile(BUILD_CONFIG, ts.sys.readFile);
  const emitOptions = { outDir, noCheck: true, noLib: true, types: [] };
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT, emitOptions, BUILD_CONFIG);
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, compilerOptions) =>
    literals.map((literal) =>
      literal.text.startsWith('.')
        ? ts.resolveModuleName(literal.text, containingFile, compilerOptions, host)
        : { resolvedModule: undefined },
    );
  const program = ts.createProgram({ rootNames: fileNames, options, host });
  const { emitSkipped, diagnostics } = program.emit();
  const errors = [...program.getSyntacticDiagnostics(), ...diagnostics];
  if (emitSkipped || errors.length > 0)
    throw new Error(`emitting tsconfig.build.json failed:\n${ts.formatDiagnostics(errors, { ...host, getNewLine: () => '\n' })}`);
}

export interface Archive {
  path: string;
  name: string;
  files: string[];
}

export function packageArchive(outDir = join(REPO_ROOT, 'dist'), options: { typeCheck: boolean } = { typeCheck: true }): Archive {
  const staging = join(outDir, 'function');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  compile(staging, options.typeCheck);
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(deployedPackageJson(pkg), null, 2)}\n`);
  writeFileSync(join(staging, 'package-lock.json'), readFileSync(join(REPO_ROOT, 'package-lock.json')));

  const files = filesUnder(staging);
  const entries: Zippable = {};
  for (const file of files) entries[file.split(sep).join('/')] = [readFileSync(join(staging, file)), { mtime: FIXED_MTIME, level: 9 }];
  const zip = zipSync(entries);
  const name = `${ARCHIVE_PREFIX}${createHash('sha256').update(zip).digest('hex').slice(0, 32)}.zip`;
  const path = join(outDir, name);
  writeFileSync(path, zip);
  return { path, name, files: files.map((f) => relative(staging, join(staging, f)).split(sep).join('/')) };
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const archive = packageArchive(at > 0 ? process.argv[at + 1] : undefined);
  process.stdout.write(`${archive.path}\n`);
}
