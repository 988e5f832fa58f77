// `mesh-remediator <command>`: the process edge. Every line a command prints is scrubbed of
// registered secrets on its way out (commands quote what Google or Slack said), then the program
// (program.ts) parses argv and runs the command.
import type { CliIO } from './command';
import { redact } from '../log';
import { runProgram } from './program';

export async function main(argv: string[], terminal: CliIO = processIO()): Promise<number> {
  const io: CliIO = { ...terminal, stdout: (text) => terminal.stdout(redact(text)), stderr: (text) => terminal.stderr(redact(text)) };
  return runProgram(argv, io);
}

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    stdin: process.stdin,
  };
}
