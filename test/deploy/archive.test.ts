// The deployable archive (`npm run package`) holds what runs in production and nothing else: the
// compiled closure of functions/entry.cts (functions/index.ts), package.json without scripts, and the lock file. It is
// complete (every require resolves inside it or to a declared dependency), it loads and registers
// both entry points, and its name is its content hash.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { unzipSync } from 'fflate';
import { ARCHIVE_PREFIX, packageArchive, REPO_ROOT, type Archive } from '../../deploy/package-archive';

jest.setTimeout(300_000);

let archive: Archive;
let files: Record<string, Uint8Array>;
const scratch = mkdtempSync(join(tmpdir(), 'mesh-remediator-archive-'));

beforeAll(() => {
  // npm test type-checks the whole tree beside the suites; here only the emitted output matters.
  archive = packageArchive(join(scratch, 'dist'), { typeCheck: false });
  files = unzipSync(readFileSync(archive.path));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const text = (name: string): string => Buffer.from(files[name]!).toString('utf8');

describe('the deployable archive', () => {
  it('is named by the sha256 of its bytes', () => {
    const hash = createHash('sha256').update(readFileSync(archive.path)).digest('hex');
    expect(archive.name).toBe(`${ARCHIVE_PREFIX}${hash.slice(0, 32)}.zip`);
  });

  it('holds only the compiled function and the package files: no CLI, tests, emulator, demo or bench', () => {
    const names = Object.keys(files).sort();
    expect(names).toContain('build/functions/entry.cjs');
    expect(names).toContain('build/functions/index.js');
    const other = names.filter((n) => !/^build\/functions\/.+\.(c?js|json)$/.test(n) && n !== 'package.json' && n !== 'package-lock.json');
    expect(other).toEqual([]);
    expect(names.filter((n) => /\/cli\/|\.test\.js$|^build\/(test|bench)\//.test(n))).toEqual([]);
  });

  it('ships package.json without scripts, so deploying installs dependencies and runs nothing', () => {
    const pkg = JSON.parse(text('package.json')) as { scripts?: unknown; main: string; dependencies: Record<string, string> };
    const source = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.scripts).toBeUndefined();
    // The framework loads "main"; a .cjs file spares it an ES-module lookup of package.json (functions/entry.cts).
    expect(pkg.main).toBe('build/functions/entry.cjs');
    expect(files[pkg.main]).toBeDefined();
    expect(pkg.dependencies).toEqual(source.dependencies);
    expect(text('package-lock.json')).toBe(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  });

  it('is complete: every require resolves inside the archive or to a runtime dependency', () => {
    const pkg = JSON.parse(text('package.json')) as { dependencies: Record<string, string> };
    const missing: string[] = [];
    for (const name of Object.keys(files).filter((n) => /\.c?js$/.test(n))) {
      for (const [, spec] of text(name).matchAll(/require\("([^"]+)"\)/g)) {
        if (spec!.startsWith('.')) {
          const target = posix.join(posix.dirname(name), spec!);
          if (![target, `${target}.js`, `${target}.json`, `${target}/index.js`].some((t) => t in files)) missing.push(`${name}: ${spec}`);
        } else {
          const pkgName = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
          if (!builtinModules.includes(pkgName.replace(/^node:/, '')) && !(pkgName in pkg.dependencies)) missing.push(`${name}: ${spec}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('loads on its own from package.json "main" and registers both entry points with the Functions Framework', () => {
    const dir = join(scratch, 'unpacked');
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    const { main } = JSON.parse(text('package.json')) as { main: string };
    const probe = `require(${JSON.stringify(join(dir, main))});
const { getFunction } = require('@google-cloud/functions-framework/testing');
process.stdout.write(JSON.stringify(['remediateDrift', 'sweep'].map((n) => typeof getFunction(n))) + '\\n');`;
    const result = spawnSync(process.execPath, ['-e', probe], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') },
    });
    expect([result.status, result.stderr]).toEqual([0, '']);
    // The function checks its configuration as it loads: here, no mesh.yaml beside it, said in one line
    // (the check finishes asynchronously, so that line may come before or after the probe's answer).
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('[')).map((l) => JSON.parse(l) as unknown)).toEqual([['function', 'function']]);
    expect(lines.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { event?: string }).event : undefined))).toContain(
      'mesh-remediator.config-error',
    );
  });
});
