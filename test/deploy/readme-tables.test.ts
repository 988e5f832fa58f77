// deploy/README.md says what the module and the code say: its generated tables match, and the
// commands it tells people to copy name variables and substitutions that exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { README, renderSections, section } from './readme-tables';
import { EXAMPLES_DIR, loadTerraformDir, REPO_ROOT } from './terraform-config';

const readme = readFileSync(README, 'utf8');

describe('deploy/README.md', () => {
  it.each(['inputs', 'outputs', 'permissions'])('%s table matches the module and the code', async (name) => {
    const rendered = (await renderSections())[name];
    expect(section(readme, name)).toBe(rendered);
  });

  it('quickstart passes only variables the blog example declares', async () => {
    const blog = await loadTerraformDir(join(EXAMPLES_DIR, 'blog'));
    const passed = [...readme.matchAll(/-var (\w+)=/g)].map((m) => m[1]!);
    expect(passed.length).toBeGreaterThan(0);
    expect(passed.filter((v) => !(v in blog.variables))).toEqual([]);
  });

  it('Cloud Build command passes only declared substitutions', () => {
    const { substitutions } = parse(readFileSync(join(REPO_ROOT, 'cloudbuild.yaml'), 'utf8')) as { substitutions: Record<string, string> };
    const passed = [...readme.matchAll(/\b(_[A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!);
    expect(passed.length).toBeGreaterThan(0);
    expect(passed.filter((s) => !(s in substitutions))).toEqual([]);
  });
});
