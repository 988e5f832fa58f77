// The command line as commander sees it: the commands (commands.ts), help and --version, and the
// conventions every command shares: help on stdout with exit 0, mistakes in one line on stderr
// with did-you-mean and a pointer to --help, exit 1. Commander rather than hand-written parsing:
// it generates per-command help from the same option definitions the parser uses (so help cannot
// drift from what is accepted), suggests commands and options, and has no dependencies.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, UsageError, type CliIO, type CommandAction } from './command';
import { colours } from './colour';
import { COMMANDS, type CommandSpec } from './commands';
import { errorDocument } from './json-output';

export const PROGRAM = 'mesh-remediator';

/** The program, wired to `io`; `result.code` holds the exit code an action returned. */
export function buildProgram(io: CliIO, argv: readonly string[], result: { code: number }): Command {
  const c = colours(io);
  const program = new Command(PROGRAM)
    .description(
      'Keeps a private Cloud Run service mesh private: finds and repairs drift of each declared service and its internal load balancer chain.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpCommand('help [command]', 'show help for a command')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureHelp({
      styleTitle: (text) => c.bold(text),
      styleCommandText: (text) => c.cyan(text),
      styleOptionTerm: (text) => c.green(text),
    })
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      getOutHasColors: () => c.isColorSupported,
      getErrHasColors: () => false,
      outputError: (text, write) => write(shortError(PROGRAM, text)),
    })
    .addHelpText(
      'after',
      `\nRun '${PROGRAM} help <command>' for a command's options, defaults and examples.\nExit codes: 0 ok / in sync, 2 drift found or left, 1 error.\n`,
    );

  for (const spec of COMMANDS) {
    const command = program
      .command(spec.name)
      .summary(spec.summary)
      .description(spec.description ?? spec.summary);
    for (const argument of spec.arguments?.() ?? []) command.addArgument(argument);
    for (const option of spec.options()) command.addOption(option);
    command
      .configureOutput({ outputError: (text, write) => write(shortError(`${PROGRAM} ${spec.name}`, text)) })
      .addHelpText('after', helpFooter(spec))
      .action(async (...args: unknown[]) => {
        const self = args[args.length - 1] as Command;
        result.code = await runAction(spec, self, io, argv.slice(argv.indexOf(spec.name) + 1));
      });
  }
  return program;
}

async function runAction(spec: CommandSpec, self: Command, io: CliIO, rawArgs: string[]): Promise<number> {
  const opts = self.opts();
  try {
    const action: CommandAction = await spec.load();
    return await action({ opts, args: self.processedArgs as string[], argv: rawArgs }, io);
  } catch (err) {
    // Every command reports bad input the same way: the specific message, never a stack trace.
    const message = err instanceof Error ? err.message : String(err);
    if (opts.json) io.stdout(JSON.stringify(errorDocument(spec.name, err), null, 2) + '\n');
    io.stderr(`${PROGRAM} ${spec.name}: ${message}\n`);
    if (err instanceof UsageError) io.stderr(`see '${PROGRAM} ${spec.name} --help'\n`);
    return EXIT.error;
  }
}

/** Runs argv through the program; returns the exit code. */
export async function runProgram(argv: readonly string[], io: CliIO): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram(io, argv, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // Help and --version asked for are not errors; a bare `mesh-remediator` shows help on stderr, exit 1.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
    if (err.code === 'commander.help') return argv.length === 0 ? EXIT.error : EXIT.ok;
    if (argv.includes('--json'))
      io.stdout(JSON.stringify(errorDocument(commandName(argv), new UsageError(oneLine(err.message))), null, 2) + '\n');
    return EXIT.error;
  }
}

/** commander's "error: unknown option '--confg'\n(Did you mean --config?)" as one line and a pointer to help. */
export function shortError(who: string, text: string): string {
  return `${who}: ${oneLine(text)}\nsee '${who} --help'\n`;
}

function oneLine(text: string): string {
  return text
    .replace(/^error: /, '')
    .trim()
    .replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ');
}

function commandName(argv: readonly string[]): string {
  return COMMANDS.find((spec) => argv.includes(spec.name))?.name ?? PROGRAM;
}

function helpFooter(spec: CommandSpec): string {
  const lines = ['', 'Examples:', ...spec.examples.map((example) => `  $ ${example}`)];
  if (spec.exitCodes) lines.push('', `Exit codes: ${spec.exitCodes}`);
  return lines.join('\n') + '\n';
}

/** The version in package.json, found from here in the sources (functions/cli) and in build/functions/cli. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mesh-remediator' && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
  }
  return 'unknown';
}
