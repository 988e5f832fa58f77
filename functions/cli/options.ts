// Flags shared by the commands (--config, --service, --json, --dry-run), so every command reads
// them the same way. What a command builds from them is command-deps.ts: help, usage errors and
// the commands that read no mesh never load the composition root (the mesh parser, the clients'
// adapter, the reconciler).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Option } from 'commander';
import { parseEnvironment } from '../config/environment';
import { UsageError, type CliIO } from './command';

/** The options every mesh-reading command accepts, as commander hands them to the action. */
export interface CommonOptions {
  config?: string;
  service?: string[];
  json?: boolean;
  dryRun?: boolean;
}

export function configOption(): Option {
  return new Option('--config <file>', 'the mesh file, YAML or JSON, or gs://BUCKET/OBJECT (default: $MESH_CONFIG, else mesh.yaml)');
}

export function serviceOption(): Option {
  return new Option(
    '--service <key>',
    'only this declared service: project/region/service, or the service name when unambiguous; repeatable',
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

export function jsonOption(): Option {
  return new Option('--json', 'print one JSON document on stdout (the schema-versioned report shape) and nothing else');
}

export function dryRunOption(): Option {
  return new Option('--dry-run', 'plan and report only; nothing is written (as DRY_RUN=true or policy.dryRun)');
}

/** For commands that parse their own argv (the emulator). */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** The mesh a command reads: --config, else MESH_CONFIG, else mesh.yaml (environment.ts); a file or gs://BUCKET/OBJECT. */
export function meshPath(io: CliIO, config: string | undefined): string {
  return config ?? parseEnvironment(io.env).environment.meshConfigPath;
}

/** The longest one pull waits for a message before a subscription counts as drained, unless --drain-wait says otherwise. */
export const DRAIN_WAIT_SECONDS = 5;
const MAX_DRAIN_WAIT_SECONDS = 600;

export function drainWaitOption(): Option {
  return new Option(
    '--drain-wait <seconds>',
    `the longest one pull waits for a message before the subscription counts as drained (default ${DRAIN_WAIT_SECONDS})`,
  );
}

/** --drain-wait's value in milliseconds: seconds above 0 and at most 600, fractions allowed; the default when not given. */
export function drainWaitMs(value: string | undefined): number {
  if (value === undefined) return DRAIN_WAIT_SECONDS * 1000;
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_DRAIN_WAIT_SECONDS))
    throw new UsageError(
      `--drain-wait must be a number of seconds above 0 and at most ${MAX_DRAIN_WAIT_SECONDS}, got ${JSON.stringify(value)}`,
    );
  return Math.round(seconds * 1000);
}

export function formatOption(): Option {
  return new Option('--format <format>', 'text, or the chain as a Mermaid or Graphviz dot diagram')
    .choices(['text', 'mermaid', 'dot'])
    .default('text');
}
