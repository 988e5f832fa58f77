// What every CLI subcommand looks like: parsed arguments in, an exit code out. Output goes
// through `io` so tests run commands in-process and read what a user would see.
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

export type Command = (argv: string[], io: CliIO) => Promise<number>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
