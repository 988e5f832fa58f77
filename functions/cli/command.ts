// What every CLI subcommand looks like: parsed options and arguments in, an exit code out. Output
// goes through `io` so tests run commands in-process and read what a user would see.
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdout is a terminal: progress bars and colour allowed */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
}

/** Exit codes shared by all commands (diff follows terraform plan -detailed-exitcode). */
export const EXIT = { ok: 0, error: 1, drift: 2 } as const;

/** What a command's action receives: commander's parsed options, its arguments, and the raw argv after the command name. */
export interface CommandInput<O = Record<string, unknown>> {
  opts: O;
  args: string[];
  /** The words after the command name as typed (for commands that parse their own flags). */
  argv: string[];
}

export type CommandAction<O = Record<string, unknown>> = (input: CommandInput<O>, io: CliIO) => Promise<number>;

/** A mistake in how the command was called: reported in one line with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that parses its own argv (the emulator, which lives with the test tooling). */
export type Command = (argv: string[], io: CliIO) => Promise<number>;
