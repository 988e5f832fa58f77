// The run order on a clean clone (no timings): the long-running suites first, the rest by jest's
// own rule (largest file first).
import { join } from 'node:path';
import { ROOT } from './function-code';

const LongRunningFirst = require('./jest-sequencer') as new (options: object) => { sort(tests: FakeTest[]): FakeTest[] };

interface FakeTest {
  path: string;
  duration?: number;
  context: object;
}

const sizes: Record<string, number> = {};
// No jest cache: what a clean clone has.
const context = { config: { cache: false, rootDir: ROOT }, hasteFS: { getSize: (path: string) => sizes[path] } };
function suite(path: string, size: number): FakeTest {
  sizes[join(ROOT, path)] = size;
  return { path: join(ROOT, path), context };
}
const names = (tests: FakeTest[]) => tests.map((test) => test.path.slice(ROOT.length + 1));

test('without timings: the long-running suites first, in their order, then the rest largest first', () => {
  const tests = [
    suite('functions/config/load.test.ts', 9_000),
    suite('test/architecture/style.test.ts', 1_600),
    suite('functions/reconcile/plan.test.ts', 20_000),
    suite('test/reliability/fuzz.test.ts', 4_800),
    suite('test/reliability/chaos.test.ts', 5_200),
    suite('test/deploy/terraform-cli.test.ts', 5_000),
  ];
  expect(names(new LongRunningFirst({}).sort(tests))).toEqual([
    'test/reliability/chaos.test.ts',
    'test/reliability/fuzz.test.ts',
    'test/deploy/terraform-cli.test.ts',
    'test/architecture/style.test.ts',
    'functions/reconcile/plan.test.ts',
    'functions/config/load.test.ts',
  ]);
});
