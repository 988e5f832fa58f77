// The function's environment contract (DESIGN.md): read once, validated, with specific errors.
import { join } from 'node:path';

export interface RuntimeEnv {
  meshConfigPath: string;
  /** DRY_RUN forces plan-only whatever mesh.yaml says. */
  dryRun: boolean;
  /** The function's own service account e-mail; undefined = discover from the metadata server. */
  selfPrincipal?: string;
  /** Cloud Run / Compute emulators in use: never touch the metadata server or Google auth. */
  emulated: boolean;
  /** Requests per second per API during a sweep (keeps a 1,000-service sweep under quota). */
  sweepRatePerApi: number;
  sweepConcurrency: number;
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

export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  return {
    meshConfigPath: env.MESH_CONFIG || join(process.cwd(), 'mesh.yaml'),
    dryRun: parseBoolean('DRY_RUN', env.DRY_RUN),
    selfPrincipal: env.SELF_PRINCIPAL || undefined,
    emulated: Boolean(env.CLOUD_RUN_EMULATOR_HOST || env.COMPUTE_EMULATOR_HOST),
    sweepRatePerApi: positiveNumber('SWEEP_RATE_PER_API', env.SWEEP_RATE_PER_API, 20),
    sweepConcurrency: positiveNumber('SWEEP_CONCURRENCY', env.SWEEP_CONCURRENCY, 20),
  };
}
