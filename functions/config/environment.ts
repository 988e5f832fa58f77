// The function's and the CLI's environment, read in this one module, checked whole and typed.
// Every variable has one meaning and one default here. A malformed value is never thrown at the
// first event: it becomes a problem (variable + what is wrong, never the value of a secret) that
// the composition root logs once at start, while the rest of the environment stays usable.
import { readFileSync } from 'node:fs';
import { parseQuotaLimits, type QuotaLimits } from '../project-quotas';
import { parseTopicName } from '../pubsub-topic';

/** Where a typed value came from, so a failure can name the variable that chose it. */
export interface HostPort {
  host: string;
  port: number;
  /** The variable that set it, e.g. COMPUTE_EMULATOR_HOST. */
  variable: string;
}

export interface SlackWebhook {
  /** A secret: hand it to the Redactor before anything can print it. */
  url: string;
  /** SLACK_WEBHOOK_URL or `SLACK_WEBHOOK_URL_FILE (path)`. */
  source: string;
}

export interface Environment {
  /** MESH_CONFIG, default mesh.yaml in the working directory (beside the function), as given. */
  meshConfigPath: string;
  /** DRY_RUN forces plan-only whatever mesh.yaml says. */
  dryRun: boolean;
  /** SELF_PRINCIPAL; undefined = ask the metadata server (never when emulated). */
  selfPrincipal?: string;
  slackWebhook?: SlackWebhook;
  /** REPORT_TOPIC as projects/P/topics/T. */
  reportTopic?: { name: string; project: string; topic: string };
  cloudRunEmulator?: HostPort;
  computeEmulator?: HostPort;
  pubsubEmulator?: HostPort;
  /** STORAGE_EMULATOR_HOST: where a gs:// MESH_CONFIG is downloaded from instead of Cloud Storage. */
  storageEmulator?: HostPort;
  /** Cloud Run / Compute emulators in use: never touch the metadata server or Google auth. */
  emulated: boolean;
  /** METADATA_SERVER_DETECTION=none (google-auth-library's switch) also keeps us off it. */
  metadataServer: boolean;
  /** Optional cap of requests per second per API during a sweep; unset: per-project quotas only. */
  sweepRatePerApi?: number;
  sweepConcurrency: number;
  /** The sweep observes each project-region with lists (default) instead of GETs per service. */
  sweepSnapshots: boolean;
  /** SWEEP_TOPIC: the sweep publishes one message per (project, region) shard here. */
  sweepTopic?: string;
  /** Event reconciles of one project-region starting within this window share a list read; 0: off. */
  readBatchWindowMs: number;
  /** Per-project requests per minute per quota group (Google's Compute defaults unless set). */
  apiQuotas: QuotaLimits;
  /** Length of a quota window (Google: 60,000 ms). */
  quotaWindowMs: number;
  /** MESH_REMEDIATOR_LOG=stderr: the CLI shows its structured log lines on stderr. */
  cliLogToStderr: boolean;
}

export interface EnvironmentProblem {
  variable: string;
  problem: string;
  /**
   * The variable decides what a reconcile does (which mesh, dry-run, whose writes are our own,
   * which API): events cannot be judged until it is fixed. Otherwise (notifications, sweep pacing)
   * the function falls back (notifications off, the default pace) and goes on remediating.
   */
  blocking: boolean;
}

/** Variables whose problems stop remediation (see EnvironmentProblem.blocking). */
export const BLOCKING_VARIABLES: ReadonlySet<string> = new Set([
  'MESH_CONFIG',
  'DRY_RUN',
  'SELF_PRINCIPAL',
  'CLOUD_RUN_EMULATOR_HOST',
  'COMPUTE_EMULATOR_HOST',
  'STORAGE_EMULATOR_HOST',
]);

export interface ParsedEnvironment {
  environment: Environment;
  problems: EnvironmentProblem[];
}

export const DEFAULT_MESH_CONFIG = 'mesh.yaml';
export const DEFAULT_SWEEP_CONCURRENCY = 20;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['', '0', 'false', 'no', 'off']);
// IAM member syntax or a bare e-mail; what audit entries carry as principalEmail.
const PRINCIPAL = /^((serviceAccount|user):)?[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function parseEnvironment(env: NodeJS.ProcessEnv): ParsedEnvironment {
  const problems: EnvironmentProblem[] = [];
  const problem = (variable: string, text: string) =>
    problems.push({ variable, problem: text, blocking: BLOCKING_VARIABLES.has(variable) });

  const dryRun = parseBoolean(env.DRY_RUN);
  if (dryRun === undefined) problem('DRY_RUN', `must be true or false, got ${JSON.stringify(env.DRY_RUN)}`);

  const selfPrincipal = env.SELF_PRINCIPAL?.trim() || undefined;
  if (selfPrincipal && !PRINCIPAL.test(selfPrincipal)) {
    problem('SELF_PRINCIPAL', `must be the function's service account e-mail, got ${JSON.stringify(selfPrincipal)}`);
  }

  const hostPort = (variable: string): HostPort | undefined => {
    const value = env[variable]?.trim();
    if (!value) return undefined;
    const parsed = parseHostPort(value);
    if (!parsed) problem(variable, `must be host:port (plain HTTP), got ${JSON.stringify(value)}`);
    return parsed && { ...parsed, variable };
  };
  const cloudRunEmulator = hostPort('CLOUD_RUN_EMULATOR_HOST');
  const computeEmulator = hostPort('COMPUTE_EMULATOR_HOST');
  const pubsubEmulator = hostPort('PUBSUB_EMULATOR_HOST');
  // The Storage client also reads this variable itself, and only in its http://host:port form.
  const storageValue = env.STORAGE_EMULATOR_HOST?.trim();
  const storageEmulator = storageValue && /^https?:\/\//.test(storageValue) ? hostPort('STORAGE_EMULATOR_HOST') : undefined;
  if (storageValue && !/^https?:\/\//.test(storageValue))
    problem('STORAGE_EMULATOR_HOST', `must be http://host:port (the Storage client's form), got ${JSON.stringify(storageValue)}`);

  let reportTopic: Environment['reportTopic'];
  const topicValue = env.REPORT_TOPIC?.trim();
  if (topicValue) {
    const parsed = parseTopicName(topicValue);
    if (parsed) reportTopic = { name: topicValue, ...parsed };
    else problem('REPORT_TOPIC', `must look like projects/PROJECT/topics/TOPIC, got ${JSON.stringify(topicValue)}`);
  }

  const slack = slackWebhook(env);
  if (slack && 'problem' in slack) problem(slack.variable, slack.problem);

  const positive = <T extends number | undefined>(variable: string, fallback: T, zeroAllowed = false): number | T => {
    const value = env[variable]?.trim();
    if (!value) return fallback;
    const n = Number(value);
    if (Number.isFinite(n) && (n > 0 || (zeroAllowed && n === 0))) return n;
    problem(variable, `must be a ${zeroAllowed ? 'non-negative' : 'positive'} number, got ${JSON.stringify(value)}`);
    return fallback;
  };

  const snapshots = env.SWEEP_SNAPSHOTS?.trim() ? parseBoolean(env.SWEEP_SNAPSHOTS) : true;
  if (snapshots === undefined) problem('SWEEP_SNAPSHOTS', `must be true or false, got ${JSON.stringify(env.SWEEP_SNAPSHOTS)}`);
  let apiQuotas: QuotaLimits;
  try {
    apiQuotas = parseQuotaLimits(env.API_QUOTAS_PER_MINUTE);
  } catch (err) {
    problem('API_QUOTAS_PER_MINUTE', (err as Error).message.replace(/^API_QUOTAS_PER_MINUTE: /, ''));
    apiQuotas = parseQuotaLimits(undefined);
  }
  const sweepTopic = env.SWEEP_TOPIC?.trim() || undefined;
  if (sweepTopic && !parseTopicName(sweepTopic))
    problem('SWEEP_TOPIC', `must look like projects/PROJECT/topics/TOPIC, got ${JSON.stringify(sweepTopic)}`);
  const sweepRatePerApi = positive('SWEEP_RATE_PER_API', undefined);

  const environment: Environment = {
    meshConfigPath: env.MESH_CONFIG?.trim() || DEFAULT_MESH_CONFIG,
    // Unreadable = plan only: the safe reading while the problem stands (events are retried anyway).
    dryRun: dryRun ?? true,
    ...(selfPrincipal ? { selfPrincipal } : {}),
    ...(slack && 'url' in slack ? { slackWebhook: slack } : {}),
    ...(reportTopic ? { reportTopic } : {}),
    ...(cloudRunEmulator ? { cloudRunEmulator } : {}),
    ...(computeEmulator ? { computeEmulator } : {}),
    ...(pubsubEmulator ? { pubsubEmulator } : {}),
    ...(storageEmulator ? { storageEmulator } : {}),
    emulated: Boolean(env.CLOUD_RUN_EMULATOR_HOST?.trim() || env.COMPUTE_EMULATOR_HOST?.trim()),
    metadataServer: env.METADATA_SERVER_DETECTION?.trim().toLowerCase() !== 'none',
    ...(sweepRatePerApi !== undefined ? { sweepRatePerApi } : {}),
    sweepConcurrency: Math.floor(positive('SWEEP_CONCURRENCY', DEFAULT_SWEEP_CONCURRENCY)),
    sweepSnapshots: snapshots ?? true,
    ...(sweepTopic && parseTopicName(sweepTopic) ? { sweepTopic } : {}),
    readBatchWindowMs: positive('READ_BATCH_WINDOW_MS', 20, true),
    apiQuotas,
    quotaWindowMs: positive('QUOTA_WINDOW_MS', 60_000),
    cliLogToStderr: env.MESH_REMEDIATOR_LOG?.trim() === 'stderr',
  };
  return { environment, problems };
}

export function parseBoolean(value: string | undefined): boolean | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

/** `host:port`, `[v6]:port` or `http://host:port`; undefined when it is none of those. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim().replace(/^https?:\/\//, ''));
  const port = match ? Number(match[2]) : NaN;
  if (!match?.[1] || !(port > 0 && port < 65536)) return undefined;
  return { host: match[1], port };
}

/**
 * The webhook URL from SLACK_WEBHOOK_URL, else from the file named by SLACK_WEBHOOK_URL_FILE (a
 * mounted Secret Manager secret). Problems name the variable, never the value.
 */
function slackWebhook(env: NodeJS.ProcessEnv): SlackWebhook | { variable: string; problem: string } | undefined {
  let variable = 'SLACK_WEBHOOK_URL';
  let source = variable;
  let url = env.SLACK_WEBHOOK_URL?.trim();
  const file = env.SLACK_WEBHOOK_URL_FILE?.trim();
  if (!url && file) {
    variable = 'SLACK_WEBHOOK_URL_FILE';
    source = `SLACK_WEBHOOK_URL_FILE (${file})`;
    try {
      url = readFileSync(file, 'utf8').trim();
    } catch (err) {
      return { variable, problem: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}` };
    }
    if (!url) return { variable, problem: `${file} is empty` };
  }
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { variable, problem: 'is not a URL (value withheld: it is a secret)' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { variable, problem: `must be an https URL, got scheme ${parsed.protocol}` };
  }
  return { url, source };
}
