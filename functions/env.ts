// The function's environment contract (README, Environment): read once, validated, with specific errors.
import { join } from 'node:path';
import { parseQuotaLimits, type QuotaLimits } from './project-quotas';

export interface RuntimeEnv {
  meshConfigPath: string;
  /** DRY_RUN forces plan-only whatever mesh.yaml says. */
  dryRun: boolean;
  /** The function's own service account e-mail; undefined = discover from the metadata server. */
  selfPrincipal?: string;
  /** Cloud Run / Compute emulators in use: never touch the metadata server or Google auth. */
  emulated: boolean;
  /** Optional cap of requests per second per API during a sweep; unset: per-project quotas only. */
  sweepRatePerApi?: number;
  sweepConcurrency: number;
  /** The sweep observes each project-region with lists (default) instead of GETs per service. */
  sweepSnapshots: boolean;
  /** Event reconciles of one project-region starting within this window share a list read; 0: off. */
  readBatchWindowMs: number;
  /** Per-project requests per minute per quota group (Google's Compute defaults unless set). */
  apiQuotas: QuotaLimits;
  /** Length of a quota window (Google: 60,000 ms). */
  quotaWindowMs: number;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['', '0', 'false', 'no', 'off']);

export function parseBoolean(name: string, value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}

function nonNegativeNumber(name: string, value: string | undefined, fallback: number): number {
  return value === '0' ? 0 : positiveNumber(name, value, fallback);
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  return {
    meshConfigPath: env.MESH_CONFIG || join(process.cwd(), 'mesh.yaml'),
    dryRun: parseBoolean('DRY_RUN', env.DRY_RUN),
    selfPrincipal: env.SELF_PRINCIPAL || undefined,
    emulated: Boolean(env.CLOUD_RUN_EMULATOR_HOST || env.COMPUTE_EMULATOR_HOST),
    sweepRatePerApi: env.SWEEP_RATE_PER_API ? positiveNumber('SWEEP_RATE_PER_API', env.SWEEP_RATE_PER_API, 0) : undefined,
    sweepConcurrency: positiveNumber('SWEEP_CONCURRENCY', env.SWEEP_CONCURRENCY, 20),
    sweepSnapshots: env.SWEEP_SNAPSHOTS === undefined ? true : parseBoolean('SWEEP_SNAPSHOTS', env.SWEEP_SNAPSHOTS),
    readBatchWindowMs: nonNegativeNumber('READ_BATCH_WINDOW_MS', env.READ_BATCH_WINDOW_MS, 20),
    apiQuotas: parseQuotaLimits(env.API_QUOTAS_PER_MINUTE),
    quotaWindowMs: positiveNumber('QUOTA_WINDOW_MS', env.QUOTA_WINDOW_MS, 60_000),
  };
}
