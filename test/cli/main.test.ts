// The command line's conventions, for every command: help on stdout with exit 0 (`help X`,
// `X --help`, `X -h` alike), every option and argument in it with an example, --version, mistakes
// in one line on stderr with did-you-mean and a pointer to help (exit 1), and --json asking for a
// document even then.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { COMMANDS } from '../../functions/cli/commands';
import { runCli } from './cli-harness';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

test('the program help lists every command with its summary, on stdout, exit 0', async () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    const { code, stdout, stderr } = await runCli(argv);
    expect({ argv, code, stderr }).toEqual({ argv, code: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: mesh-remediator \[options\] \[command\]\n/);
    for (const spec of COMMANDS)
      expect(stdout).toMatch(new RegExp(`^  ${spec.name}\\b.* {2,}${spec.summary.slice(0, 20).replace(/[()]/g, '\\$&')}`, 'm'));
  }
});

describe.each(COMMANDS.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
  test('help X, X --help and X -h print the same help on stdout, exit 0', async () => {
    const runs = await Promise.all([runCli(['help', name]), runCli([name, '--help']), runCli([name, '-h'])]);
    for (const run of runs) expect(run).toEqual({ code: 0, stdout: runs[0]?.stdout, stderr: '' });
  });

  test('its help names every option and argument, the defaults, an example and the exit codes', async () => {
    const { stdout } = await runCli(['help', name]);
    const words = stdout.replace(/\s+/g, ' '); // commander wraps descriptions at 80 columns
    expect(stdout).toMatch(new RegExp(`^Usage: mesh-remediator ${name}\\b`));
    for (const option of spec.options()) {
      expect(words).toContain(`${option.flags} ${option.description}`);
      if (option.defaultValue !== undefined) expect(words).toContain(`default: ${JSON.stringify(option.defaultValue)})`);
      if (option.argChoices) expect(words).toContain(`choices: ${option.argChoices.map((c) => JSON.stringify(c)).join(', ')}`);
    }
    for (const argument of spec.arguments?.() ?? []) expect(words).toContain(`${argument.name()} ${argument.description}`);
    expect(stdout).toMatch(new RegExp(`\\nExamples:\\n  \\$ .*mesh-remediator ${name}\\b`));
    if (spec.exitCodes) expect(words).toContain(`Exit codes: ${spec.exitCodes}`);
  });

  test('an unknown option: one line naming it, a pointer to its help, exit 1', async () => {
    const { code, stdout, stderr } = await runCli([name, '--no-such-flag']);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`mesh-remediator ${name}: unknown option '--no-such-flag'\nsee 'mesh-remediator ${name} --help'\n`);
  });
});

test('--version and -V print the package version, exit 0', async () => {
  for (const flag of ['--version', '-V']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
});

test('help, --version and a mistake never load the composition root (mesh parser, adapter, reconciler); a command that reads the mesh does', async () => {
  const loads = async (argv: string[]): Promise<boolean> => {
    let loaded = false;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../functions/composition-root', () => {
        loaded = true;
        return jest.requireActual('../../functions/composition-root');
      });
      const { main } = require('../../functions/cli/main') as typeof import('../../functions/cli/main');
      const quiet = () => undefined;
      await main(argv, { stdout: quiet, stderr: quiet, isTTY: false, env: {}, stdin: Readable.from([]) });
    });
    return loaded;
  };
  for (const argv of [['help'], ['--version'], ['help', 'diff'], ['diff', '--help'], ['frobnicate'], ['diff', '--confg', 'mesh.yaml']])
    expect({ argv, loaded: await loads(argv) }).toEqual({ argv, loaded: false });
  expect(await loads(['diff', '--config', '/nonexistent/mesh.yaml'])).toBe(true);
});

test('no command: the program help on stderr, exit 1', async () => {
  const { code, stdout, stderr } = await runCli([]);
  expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
  expect(stderr).toMatch(/^Usage: mesh-remediator/);
});

test('did you mean: a mistyped command or option is suggested, in one line', async () => {
  expect(await runCli(['valdate'])).toEqual({
    code: 1,
    stdout: '',
    stderr: "mesh-remediator: unknown command 'valdate' (did you mean validate?)\nsee 'mesh-remediator --help'\n",
  });
  expect(await runCli(['sync'])).toEqual({
    code: 1,
    stdout: '',
    stderr: "mesh-remediator: unknown command 'sync'\nsee 'mesh-remediator --help'\n",
  });
  const option = await runCli(['diff', '--confg', 'mesh.yaml']);
  expect(option).toEqual({
    code: 1,
    stdout: '',
    stderr: "mesh-remediator diff: unknown option '--confg' (did you mean --config?)\nsee 'mesh-remediator diff --help'\n",
  });
});

test('--service names an undeclared service: did you mean the declared one', async () => {
  const { code, stderr } = await runCli(['diff', '--config', 'deploy/mesh.example.yaml', '--service', 'server-servce']);
  expect(code).toBe(1);
  expect(stderr).toBe(
    'mesh-remediator diff: --service server-servce: not declared (did you mean server-service?); declared: demo-project/asia-northeast1/server-service\n' +
      "see 'mesh-remediator diff --help'\n",
  );
});

test('with --json, a mistake is still one JSON document on stdout (and the line on stderr)', async () => {
  const flag = await runCli(['diff', '--json', '--confg', 'x']);
  expect(flag.code).toBe(1);
  expect(JSON.parse(flag.stdout)).toEqual({
    schemaVersion: expect.any(Number),
    command: 'diff',
    error: { message: "unknown option '--confg' (did you mean --config?)" },
  });
  const mesh = await runCli(['diff', '--json', '--config', '/nonexistent/mesh.yaml']);
  expect(mesh.code).toBe(1);
  expect(JSON.parse(mesh.stdout)).toMatchObject({
    command: 'diff',
    error: { problems: [{ path: '(root)', message: expect.stringContaining('cannot read mesh config') }] },
  });
  expect(mesh.stderr).toContain('/nonexistent/mesh.yaml: (root): cannot read mesh config');
});

test('a bad environment value is a specific error, not a stack trace', async () => {
  const { code, stderr } = await runCli(['reconcile', '--config', 'deploy/mesh.example.yaml'], { env: { DRY_RUN: 'maybe' } });
  expect(code).toBe(1);
  expect(stderr).toBe('mesh-remediator reconcile: DRY_RUN must be true or false, got "maybe"\n');
});
