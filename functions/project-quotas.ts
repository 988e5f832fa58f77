// Google's rate quotas are per project (Cloud Run's per project and region) and per quota group,
// counted per minute (docs/google-behaviour.md, "Rate quotas"). One WindowQuota per
// (project, API, group), created on first use, so a mesh spread over many projects gets each
// project's full quota and one busy project never slows another.
import { QUOTA_GROUPS, type QuotaGroup } from './gcp/request-gate';
import { createWindowQuota, type WindowQuota } from './rate-limit';

/** Requests per minute per group; a group left out is not limited here (Google still may refuse). */
export type QuotaLimits = Partial<Record<QuotaGroup, number>>;

/**
 * Compute's per-project defaults (docs/google-behaviour.md): read (get), list, "queries"
 * (mutations) and operation read requests, 1,500 per minute each. Cloud Run Admin's are
 * unverified and not limited by default: a 429 from it still waits for the next window.
 */
export const DEFAULT_QUOTAS: QuotaLimits = {
  'compute.read': 1500,
  'compute.list': 1500,
  'compute.write': 1500,
  'compute.operationRead': 1500,
};

/** `compute.read=1500,run.read=600` → limits over the defaults; a clear error names a bad entry. */
export function parseQuotaLimits(text: string | undefined, name = 'API_QUOTAS_PER_MINUTE'): QuotaLimits {
  const limits: QuotaLimits = { ...DEFAULT_QUOTAS };
  if (text === undefined || text.trim() === '') return limits;
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([a-zA-Z.]+)=(\d+)$/.exec(entry);
    const group = match?.[1] as QuotaGroup | undefined;
    if (!match || !group || !QUOTA_GROUPS.includes(group) || Number(match[2]) <= 0) {
      throw new Error(`${name}: ${JSON.stringify(entry)} is not GROUP=N with N > 0 and GROUP one of ${QUOTA_GROUPS.join(', ')}`);
    }
    limits[group] = Number(match[2]);
  }
  return limits;
}

export class ProjectQuotas {
  private readonly quotas = new Map<string, WindowQuota>();

  constructor(
    private readonly limits: QuotaLimits,
    private readonly options: { windowMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  ) {}

  /** The quota of `group` for `project` (and `region`, for Cloud Run). */
  quota(group: QuotaGroup, project: string, region: string): WindowQuota {
    const key = group.startsWith('run.') ? `${group}\u0000${project}\u0000${region}` : `${group}\u0000${project}`;
    let quota = this.quotas.get(key);
    if (!quota) {
      // Unlimited groups still get a quota object: a refusal from Google must pause them too.
      quota = createWindowQuota(this.limits[group] ?? Number.POSITIVE_INFINITY, this.options);
      this.quotas.set(key, quota);
    }
    return quota;
  }
}
