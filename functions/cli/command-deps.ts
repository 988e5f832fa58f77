// A command's dependencies, built from its flags over the environment: the mesh read once, the
// composition root's CLI wiring, and the services --service selects. Loaded with the commands that
// reconcile or read Google Cloud (diff, status, explain, reconcile, replay), never for help.
import { composeCli, readConfig, type CliDeps } from '../composition-root';
import { describeProblem } from '../config/config-error';
import { UsageError, type CliIO } from './command';
import { didYouMean } from './did-you-mean';

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
