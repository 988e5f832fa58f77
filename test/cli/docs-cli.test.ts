// docs/cli.md against the real CLI, so it cannot go stale: every command and every option the
// parser accepts is documented, and the outputs it quotes are what the commands print.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { colours } from '../../functions/cli/colour';
import { COMMANDS } from '../../functions/cli/commands';
import { fleetTable } from '../../functions/cli/status';
import { runCli } from './cli-harness';

const DOC = readFileSync(join(__dirname, '../../docs/cli.md'), 'utf8');

test('every command has a row in the command table, and every option it accepts is named', () => {
  for (const spec of COMMANDS) {
    expect({
      command: spec.name,
      row: DOC.includes(`| [\`${spec.name}\`](#${spec.name}) |`) || DOC.includes(`| \`${spec.name}\` |`),
    }).toEqual({ command: spec.name, row: true });
    for (const option of spec.options())
      expect({ command: spec.name, option: option.long, named: DOC.includes(option.long as string) }).toEqual({
        command: spec.name,
        option: option.long,
        named: true,
      });
  }
});

test('the mistake it quotes is the one the CLI prints', async () => {
  const quoted = /\$ npx mesh-remediator diff --confg mesh\.yaml\n([\s\S]*?)```/.exec(DOC)?.[1];
  expect(quoted).toBeDefined();
  const { stderr } = await runCli(['diff', '--confg', 'mesh.yaml']);
  expect(stderr).toBe(quoted);
});

test("status's legend line is quoted as the command prints it", () => {
  const legend = fleetTable([], colours({ env: { NO_COLOR: '1' }, isTTY: false }), () => '')
    .trimEnd()
    .split('\n')
    .at(-1) as string;
  expect(legend).toMatch(/^chain: address → /);
  expect(DOC).toContain(legend);
});
