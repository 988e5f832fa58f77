// Flags shared by the commands (--config, --service, --json, --dry-run) and the dependencies they
// build from them, so every command reads the mesh and the environment the same way.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Option } from 'commander';
import { composeCli, readConfig, type CliDeps } from '../composition-root';
import { describeProblem } from '../config/config-error';
import { parseEnvironment } from '../config/environment';
import { UsageError, type CliIO } from './command';
import { didYouMean } from './did-you-mean';

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

/**
 * A command's dependencies: the environment parsed once, with the typed flags over it (--config
 * over MESH_CONFIG, --dry-run over DRY_RUN). A problem that stops remediation stops the command,
 * with every such problem; the others are said on stderr and the command goes on.
 */
export async function cliRuntime(
  io: CliIO,
  flags: { config?: string; dryRun?: boolean },
  extra: { rateLimited?: boolean } = {},
): Promise<CliDeps> {
  const config = await readConfig(io.env, {
    ...(flags.config ? { meshConfigPath: flags.config } : {}),
    ...(flags.dryRun ? { dryRun: true } : {}),
  });
  // CLI output is for people: structured log lines stay off stdout (MESH_REMEDIATOR_LOG=stderr
  // shows them all); a notification that failed is said on stderr in one line.
  const write = (line: string) => {
    if (config.environment.cliLogToStderr) return io.stderr(line + '\n');
    const record = JSON.parse(line) as { notificationFailed?: boolean; message?: string };
    if (record.notificationFailed) io.stderr(`mesh-remediator: ${record.message}\n`);
  };
  const deps = composeCli(config, { write, ...extra });
  for (const problem of config.problems) io.stderr(`mesh-remediator: warning: ${describeProblem(problem)}; going on without it\n`);
  return deps;
}

/** Keys selected by --service (project/region/service or just the service name), else all; each once. */
export function selectKeys(runtime: CliDeps, services: string[] | undefined): string[] {
  const all = runtime.mesh.services;
  if (!services || services.length === 0) return all.map((s) => s.key);
  const keys = services.map((wanted) => {
    const matches = all.filter((s) => s.key === wanted || s.service === wanted);
    if (matches.length === 1) return (matches[0] as (typeof all)[number]).key;
    if (matches.length > 1)
      throw new UsageError(`--service ${wanted}: ambiguous, use project/region/service (${matches.map((s) => s.key).join(', ')})`);
    const names = [...all.map((s) => s.service), ...all.map((s) => s.key)];
    const hint = didYouMean(wanted, names);
    const known = all.map((s) => s.key).join(', ') || 'none';
    throw new UsageError(`--service ${wanted}: not declared${hint ? ` (did you mean ${hint}?)` : ''}; declared: ${known}`);
  });
  return [...new Set(keys)];
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
