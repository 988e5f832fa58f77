// The CLI as a process on a real pseudo-terminal (util-linux `script` allocates one), against the
// same process piped: colour on a terminal, none through a pipe, NO_COLOR honoured, exit codes kept.
import { spawnSync } from 'node:child_process';
import { evalArgs, ROOT } from '../support/function-code';
import { describeOrSkip } from '../support/test-or-skip';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const ESC = '\x1b[';

/** argv through the CLI's own entry point, on the product's code (build/ or the sources, as the test kit chose). */
function command(argv: string[]): string[] {
  return [
    process.execPath,
    ...evalArgs("require('./functions/cli/main').main(process.argv.slice(1)).then((c) => { process.exitCode = c; })"),
    '--',
    ...argv,
  ];
}
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

function onTerminal(argv: string[], env: NodeJS.ProcessEnv = {}) {
  // script -e returns the child's exit status; -c runs the command on the pty it creates.
  const run = spawnSync('script', ['-q', '-e', '-c', command(argv).map(quote).join(' '), '/dev/null'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TERM: 'xterm', ...env },
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout };
}

function piped(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const [node, ...args] = command(argv);
  const run = spawnSync(node as string, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TERM: 'xterm', ...env },
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describeOrSkip(hasScript, 'no `script` on PATH (util-linux)')('on a pseudo-terminal (util-linux script) and piped', () => {
  test('help: coloured on the terminal, plain through a pipe, plain with NO_COLOR; exit 0 each time', () => {
    const tty = onTerminal(['help', 'status']);
    expect(tty.code).toBe(0);
    expect(tty.out).toContain(`${ESC}1mUsage:`);
    const pipe = piped(['help', 'status']);
    expect(pipe.code).toBe(0);
    expect(pipe.out).toMatch(/^Usage: mesh-remediator status/);
    expect(pipe.out).not.toContain(ESC);
    const noColour = onTerminal(['help', 'status'], { NO_COLOR: '1' });
    expect(noColour.code).toBe(0);
    expect(noColour.out).not.toContain(ESC);
    // The same words either way (a terminal's width may wrap them differently).
    const words = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ');
    expect(words(tty.out)).toBe(words(pipe.out));
  }, 120_000);

  test('a mistake: one line and the pointer to help, exit 1, on the terminal too', () => {
    const tty = onTerminal(['staus']);
    expect(tty.code).toBe(1);
    expect(tty.out.replace(/\r\n/g, '\n')).toBe(
      "mesh-remediator: unknown command 'staus' (did you mean status?)\nsee 'mesh-remediator --help'\n",
    );
  }, 60_000);
});
