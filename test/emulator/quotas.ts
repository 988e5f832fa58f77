// Per-project rate quotas with Google's per-minute semantics (docs/google-behaviour.md, "Rate
// quotas"): each (project, quota group) counts requests in fixed windows aligned to the clock
// (a quota reached at 10:00:15 refills at 10:01:00), and a request over the limit is refused —
// Compute with 403 `rateLimitExceeded`, Cloud Run with 429 RESOURCE_EXHAUSTED. Off by default;
// set limits with `emulator.quotas.set(...)` or POST /admin/quotas.
import { GoogleApiError } from './google-error';

export type QuotaApi = 'compute' | 'run';
export type ComputeGroup = 'read' | 'list' | 'write' | 'operationRead';
export type RunGroup = 'read' | 'write';

export interface QuotaSettings {
  /** requests per window per project, by quota group; an absent group is unlimited */
  compute: Partial<Record<ComputeGroup, number>>;
  /** Cloud Run counts per project and region */
  run: Partial<Record<RunGroup, number>>;
  /** window length (Google: 60,000 ms); tests shorten it */
  windowMs: number;
}

export const NO_QUOTAS: QuotaSettings = { compute: {}, run: {}, windowMs: 60_000 };

/** Compute's quota groups and the metric names its refusals quote. */
const COMPUTE_METRIC: Record<ComputeGroup, string> = {
  read: 'Read requests',
  list: 'List requests',
  write: 'Queries',
  operationRead: 'Operation read requests',
};

export function computeGroup(methodName: string): ComputeGroup {
  if (/\.regionOperations\./.test(methodName)) return 'operationRead';
  if (/\.(list|aggregatedList)$/.test(methodName)) return 'list';
  if (/\.get$/.test(methodName)) return 'read';
  return 'write';
}

export function runGroup(methodName: string): RunGroup {
  return /\.(GetService|ListServices|GetOperation|WaitOperation)$/.test(methodName) ? 'read' : 'write';
}

export class QuotaControl {
  private current: QuotaSettings = clone(NO_QUOTAS);
  private readonly used = new Map<string, { window: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get settings(): QuotaSettings {
    return clone(this.current);
  }

  set(update: Partial<QuotaSettings>): QuotaSettings {
    const next = { ...this.current, ...update };
    for (const [api, groups] of [
      ['compute', next.compute],
      ['run', next.run],
    ] as const) {
      for (const [group, limit] of Object.entries(groups ?? {})) {
        if (!Number.isInteger(limit) || (limit as number) < 0)
          throw new Error(`quotas.${api}.${group} must be a non-negative integer, got ${JSON.stringify(limit)}`);
      }
    }
    if (!Number.isFinite(next.windowMs) || next.windowMs <= 0)
      throw new Error(`quotas.windowMs must be a positive number, got ${JSON.stringify(next.windowMs)}`);
    this.current = clone(next);
    return this.settings;
  }

  reset(): void {
    this.current = clone(NO_QUOTAS);
    this.used.clear();
  }

  /** Counts one request; throws Google's refusal when its group's window is already full. */
  charge(api: QuotaApi, methodName: string, project: string, region: string): void {
    const group = api === 'compute' ? computeGroup(methodName) : runGroup(methodName);
    const limit = api === 'compute' ? this.current.compute[group as ComputeGroup] : this.current.run[group as RunGroup];
    if (limit === undefined) return;
    const key = api === 'compute' ? `${project}\u0000compute\u0000${group}` : `${project}\u0000${region}\u0000run\u0000${group}`;
    const window = Math.floor(this.now() / this.current.windowMs);
    const used = this.used.get(key);
    const count = used && used.window === window ? used.count : 0;
    // A refused request is not counted against the window (Google counts what it serves).
    if (count >= limit)
      throw api === 'compute' ? computeRefusal(group as ComputeGroup, project) : runRefusal(group as RunGroup, project, region);
    this.used.set(key, { window, count: count + 1 });
  }
}

function computeRefusal(group: ComputeGroup, project: string): GoogleApiError {
  const metric = COMPUTE_METRIC[group];
  return new GoogleApiError(
    403,
    'PERMISSION_DENIED',
    `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute' of service 'compute.googleapis.com' for consumer 'project:${project}'.`,
    'rateLimitExceeded',
  );
}

function runRefusal(group: RunGroup, project: string, region: string): GoogleApiError {
  const metric = group === 'read' ? 'Read requests' : 'Write requests';
  return new GoogleApiError(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per region' of service 'run.googleapis.com' for consumer 'project:${project}' in region ${region}.`,
    'RATE_LIMIT_EXCEEDED',
  );
}

function clone(settings: QuotaSettings): QuotaSettings {
  return { compute: { ...settings.compute }, run: { ...settings.run }, windowMs: settings.windowMs };
}
