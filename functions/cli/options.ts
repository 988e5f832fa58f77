// Flags shared by the commands (--config, --service, --json, --dry-run) and the runtime they
// build from them, so every command reads the mesh and the environment the same way.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createLogger } from '../log';
import { Runtime } from '../runtime';
import { UsageError, type CliIO } from './command';

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  service: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** A runtime for the CLI: --config overrides MESH_CONFIG, --dry-run sets DRY_RUN. */
export function cliRuntime(io: CliIO, flags: { config?: string; 'dry-run'?: boolean }, extra: { rateLimited?: boolean } = {}): Runtime {
  const env = { ...io.env };
  if (flags.config) env.MESH_CONFIG = flags.config;
  if (!env.MESH_CONFIG) env.MESH_CONFIG = 'mesh.yaml';
  if (flags['dry-run']) env.DRY_RUN = 'true';
  // CLI output is for people: structured log lines stay off stdout (MESH_REMEDIATOR_LOG=stderr shows them).
  const logger = createLogger(io.env.MESH_REMEDIATOR_LOG === 'stderr' ? (line) => io.stderr(line + '\n') : () => undefined);
  return new Runtime({ env, logger, ...extra });
}

/** Keys selected by --service (project/region/service or just the service name), else all. */
export function selectKeys(runtime: Runtime, services: string[] | undefined): string[] {
  const all = runtime.mesh.services;
  if (!services || services.length === 0) return all.map((s) => s.key);
  return services.map((wanted) => {
    const matches = all.filter((s) => s.key === wanted || s.service === wanted);
    if (matches.length === 1) return (matches[0] as (typeof all)[number]).key;
    const known = all.map((s) => s.key).join(', ');
    throw new UsageError(
      matches.length === 0 ? `--service ${wanted}: not declared (declared: ${known})` : `--service ${wanted}: ambiguous, use project/region/service`,
    );
  });
}
