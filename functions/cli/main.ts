// `mesh-remediator <command>`: dispatches to one file per command. Commands are required lazily
// so `validate` never loads a Google client and `emulator` (test tooling) is only loaded on demand.
import type { CliIO, Command } from './command';
import { EXIT, UsageError } from './command';
import { redact } from '../log';

const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  validate: { summary: 'check a mesh file against the schema and print derived names', load: () => require('./validate').validate },
  diff: { summary: 'show drift per service (exit 0 none, 2 drift, 1 error)', load: () => require('./diff').diff },
  reconcile: { summary: 'repair drift now (--dry-run to only plan)', load: () => require('./reconcile').reconcile },
  replay: { summary: 'replay exported audit events (gcloud logging read JSON, JSON lines, Pub/Sub messages, CloudEvents)', load: () => require('./replay').replay },
  emulator: {
    summary: 'start the local Cloud Run + Compute emulator seeded with a mesh',
    load: () => require('../../test/emulator/command').emulatorCommand,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: mesh-remediator <command> [options]', '', 'commands:', ...lines, '', 'common options: --config FILE, --service KEY, --json'].join('\n') + '\n';
}

export async function main(argv: string[], terminal: CliIO = processIO()): Promise<number> {
  // Commands print reasons and error messages that quote what Google or Slack said: every line
  // is scrubbed of registered secrets (the Slack webhook URL) on its way out, as log lines are.
  const io: CliIO = { ...terminal, stdout: (text) => terminal.stdout(redact(text)), stderr: (text) => terminal.stderr(redact(text)) };
  const [name, ...rest] = argv;
  if (!name) {
    io.stderr(usage());
    return EXIT.error;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`mesh-remediator: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.error;
  }
  try {
    return await entry.load()(rest, io);
  } catch (err) {
    // Every command reports bad input the same way: the specific message, never a stack trace.
    io.stderr(`mesh-remediator ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof UsageError) io.stderr(`\n${usage()}`);
    return EXIT.error;
  }
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
