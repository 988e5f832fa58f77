// deploy/README.md's inputs, outputs and permissions tables are what the module and the code say.
import { readFileSync } from 'node:fs';
import { README, renderSections, section } from './readme-tables';

describe('deploy/README.md', () => {
  it.each(['inputs', 'outputs', 'permissions'])('%s table matches the module and the code', async (name) => {
    const rendered = (await renderSections())[name];
    expect(section(readFileSync(README, 'utf8'), name)).toBe(rendered);
  });
});
