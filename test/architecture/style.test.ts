// The formatter (prettier with the Oxc parser plugin, .prettierrc.json + .prettierignore) and the linter (eslint.config.js)
// hold for the whole tree, so `npm test` fails on an unformatted or lint-failing file instead of
// leaving it to review. `npm run format` rewrites what the first test rejects; `npm run lint` lists
// the second's problems. Both run as their own CLIs (they load ES modules, which jest's VM cannot).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

async function cli(bin: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'node_modules', bin), ...args], { cwd: ROOT, maxBuffer: 16 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('every TypeScript and JavaScript file is formatted as prettier would', async () => {
  const { code, out } = await cli('prettier/bin/prettier.cjs', ['--check', '**/*.{ts,cts,js}']);
  expect(out).toContain('All matched files use Prettier code style!');
  expect(code).toBe(0);
}, 120_000);

test('the linter finds no errors', async () => {
  const { code, out } = await cli('eslint/bin/eslint.js', ['--quiet', 'functions', 'test', 'bench', 'deploy']);
  expect(out.trim()).toBe('');
  expect(code).toBe(0);
}, 120_000);
