// The emulator checks the product's code against Google's behaviour, so it must not share that
// code: no emulator source file imports or requires anything under functions/. (Its tests and
// test-* helpers may drive the product.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIR = __dirname;
const PRODUCT = resolve(DIR, '../../functions');

test('no emulator source file reaches into functions/', () => {
  const sources = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('test-'));
  expect(sources.length).toBeGreaterThan(10);
  const offending = sources.flatMap((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
    return specifiers.filter((s) => s.startsWith('.') && resolve(DIR, s).startsWith(PRODUCT)).map((s) => `${file}: ${s}`);
  });
  expect(offending).toEqual([]);
});
