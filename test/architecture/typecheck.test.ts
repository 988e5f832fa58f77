// The whole tree type-checks (tsc --noEmit over tsconfig.json: the function, its CLI, the test
// kit, the emulator, the bench and every test). It runs as one suite of `npm test`, beside the
// others, instead of before them: ts-jest only transpiles (isolatedModules), so this is where a
// type error fails the run. `npm run typecheck` runs the same check alone.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

test('tsc --noEmit finds no type errors', async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
  }).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, out: err.stdout ?? String(err) }),
  );
  expect(result.out.trim()).toBe('');
  expect(result.code).toBe(0);
}, 180_000);
