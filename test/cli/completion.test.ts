// `completion bash|zsh`: the generated script, loaded into a real bash, offers the commands, each
// command's options and the choices of an option's value, as a person pressing Tab would see.
import { execFileSync } from 'node:child_process';
import { COMMANDS } from '../../functions/cli/commands';
import { runCli } from './cli-harness';

/** COMPREPLY after Tab at the end of `line` (words split on spaces; a trailing space = a new empty word). */
function complete(script: string, line: string): string[] {
  const words = line.split(' ');
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _mesh_remediator; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8', cwd: __dirname }).split('\n').filter(Boolean);
}

let bash: string;
beforeAll(async () => {
  const run = await runCli(['completion', 'bash']);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  bash = run.stdout;
});

test('the first word: every command, help and the global flags', () => {
  expect(complete(bash, 'mesh-remediator ').sort()).toEqual([...COMMANDS.map((c) => c.name), 'help', '--help', '--version'].sort());
  expect(complete(bash, 'mesh-remediator re')).toEqual(['reconcile', 'replay']);
});

test("a command's options, exactly the ones it accepts", () => {
  for (const spec of COMMANDS) {
    const flags = spec.options().map((o) => o.long as string);
    expect(complete(bash, `mesh-remediator ${spec.name} --`).sort()).toEqual([...flags, '--help'].sort());
  }
  expect(complete(bash, 'mesh-remediator replay --dry-run --s')).toEqual(['--service', '--since', '--subscription']);
});

test('values: choices where the option has them, file names for a <file>', () => {
  expect(complete(bash, 'mesh-remediator completion ')).toEqual(['bash', 'zsh']);
  expect(complete(bash, 'mesh-remediator diff --config completion.te')).toEqual(['completion.test.ts']);
});

test('zsh: the same function through bashcompinit, with the #compdef line zsh looks for', async () => {
  const { code, stdout } = await runCli(['completion', 'zsh']);
  expect(code).toBe(0);
  expect(stdout.split('\n')[0]).toBe('#compdef mesh-remediator');
  expect(stdout).toContain('bashcompinit');
  expect(stdout).toContain(bash.split('\n').slice(1).join('\n'));
});
