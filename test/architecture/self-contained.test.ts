// The repository stands alone: a comment or a doc that cites a note kept outside it (the team's
// design notes, their Google fact sheet, a shared folder next to the checkout, an issue tracker's
// number) sends the reader nowhere. Facts live in docs/ with their sources instead.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const OUTSIDE = [/\bDESIGN\.md\b/, /\bgcp\.md\b/, /\.\.\/shared\b/, /\bissue #?\d+\b/i];
// Recorded payloads and generated files are quoted, not written here.
const QUOTED = /^(test\/fixtures\/|package-lock\.json$)|\.generated\./;

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  return listed.filter((path) => path !== '' && !QUOTED.test(path) && /\.(c?ts|js|md|tf|ya?ml|json|sh)$|^\.ci\//.test(path));
}

test('no file cites a note kept outside the repository', () => {
  const files = trackedTextFiles();
  expect(files.length).toBeGreaterThan(100);
  const citations = files.flatMap((path) =>
    readFileSync(join(ROOT, path), 'utf8')
      .split('\n')
      .flatMap((line, i) => (OUTSIDE.some((pattern) => pattern.test(line)) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(citations).toEqual([]);
});
