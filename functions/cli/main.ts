// `mesh-remediator <command>`: the process edge. Every line a command prints is scrubbed of the
// secrets its environment holds (the Slack webhook URL) on its way out (commands quote what Google
// or Slack said), then the program (program.ts) parses argv and runs the command.
import type { CliIO } from './command';
import { parseEnvironment } from '../config/environment';
import { slackRedactor } from '../log';
import { runProgram } from './program';

export async function main(argv: string[], terminal: CliIO = processIO()): Promise<number> {
  const redactor = slackRedactor(parseEnvironment(terminal.env).environment.slackWebhook?.url);
  const io: CliIO = {
    ...terminal,
    stdout: (text) => terminal.stdout(redactor.text(text)),
    stderr: (text) => terminal.stderr(redactor.text(text)),
  };
  return runProgram(argv, io);
}

export function processIO(): CliIO {
  return {
    stdout: whileReaderListens(process.stdout),
    stderr: whileReaderListens(process.stderr),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    stdin: process.stdin,
  };
}

/**
 * Writes to a stream until its reader goes away (`mesh-remediator help | head`: EPIPE), then drops
 * what follows instead of crashing: the command still runs to its end and exits with its code, so
 * a closed pipe never cuts a repair off half-way. Any other write error still ends the process.
 */
function whileReaderListens(stream: NodeJS.WriteStream): (text: string) => void {
  let readerGone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
  });
  return (text) => {
    if (!readerGone) stream.write(text);
  };
}
