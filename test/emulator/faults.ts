// Fault injection: what chaos tests and benchmarks turn on, by option, CLI flag or
// POST /admin/faults. Every random decision draws from one seedable source, so a run replays.
import { GoogleApiError, orgPolicyViolation, permissionDenied, quotaExceeded, rateLimited, unavailable } from './google-error';
import { seededRandom, type Random } from './random';

export type RejectionKind = 'permissionDenied' | 'quota' | 'orgPolicy';

/** Reject calls of one method with a permanent-looking error (403, 429 quota, org policy 400). */
export interface Rejection {
  /** methodName or its tail: `UpdateService`, `forwardingRules.insert`, `v1.compute.urlMaps.patch` */
  method: string;
  error: RejectionKind;
  /** how many calls to reject; unlimited when absent */
  times?: number;
}

export interface FaultSettings {
  /** added before answering every API call */
  latencyMs: number;
  /** how long every long-running operation runs before it is DONE */
  operationDelayMs: number;
  /** probability (0..1) that an API call answers 429 RESOURCE_EXHAUSTED */
  rate429: number;
  /** probability (0..1) that an API call answers 503 UNAVAILABLE */
  rate503: number;
  /** restrict rate429/rate503 to these methods (empty: every API call) */
  errorMethods: string[];
  /** probability (0..1) that an operation ends DONE with an error and changes nothing */
  failOperationRate: number;
  /** the next N operations end DONE with an error */
  failNextOperations: number;
  /** restrict failing operations to these methods (empty: all) */
  failOperationMethods: string[];
  /** collection, kind or `services` → how many next inserts lose a race: the resource gets
   * created (as if a twin won) and the caller gets 409 alreadyExists */
  race409: Record<string, number>;
  reject: Rejection[];
  /** reseeds the random source */
  seed?: number;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  operationDelayMs: 20,
  rate429: 0,
  rate503: 0,
  errorMethods: [],
  failOperationRate: 0,
  failNextOperations: 0,
  failOperationMethods: [],
  race409: {},
  reject: [],
};

/** `UpdateService` matches `google.cloud.run.v2.Services.UpdateService`; empty list matches all. */
export function methodMatches(patterns: string[], methodName: string): boolean {
  return patterns.length === 0 || patterns.some((p) => methodName === p || methodName.endsWith('.' + p));
}

export class FaultControl {
  private current: FaultSettings;

  constructor(
    private readonly base: FaultSettings,
    private rng: Random,
  ) {
    this.current = structuredClone(base);
  }

  get settings(): FaultSettings {
    return structuredClone(this.current);
  }

  /** Merges the given settings over the current ones and returns the result. */
  set(changes: Partial<FaultSettings>): FaultSettings {
    validate(changes);
    if (changes.seed !== undefined) this.rng = seededRandom(changes.seed);
    this.current = { ...this.current, ...structuredClone(changes) };
    return this.settings;
  }

  /** Back to the options the emulator started with. */
  reset(): void {
    this.current = structuredClone(this.base);
  }

  random(): number {
    return this.rng();
  }

  /** A transient 429/503 drawn from the configured rates, for any API call. */
  transientError(methodName: string): GoogleApiError | undefined {
    if (!methodMatches(this.current.errorMethods, methodName)) return undefined;
    const draw = this.rng();
    if (draw < this.current.rate429) return rateLimited();
    if (draw < this.current.rate429 + this.current.rate503) return unavailable();
    return undefined;
  }

  /** A configured permanent rejection of this method, consuming one of its `times`. */
  rejection(methodName: string, permission: string, resource: string): GoogleApiError | undefined {
    const rule = this.current.reject.find((r) => methodMatches([r.method], methodName) && (r.times === undefined || r.times > 0));
    if (!rule) return undefined;
    if (rule.times !== undefined) rule.times -= 1;
    if (rule.error === 'permissionDenied') return permissionDenied(permission, resource);
    if (rule.error === 'quota') return quotaExceeded(methodName);
    return orgPolicyViolation(methodName);
  }

  /** Decided when an operation starts: will it end DONE with an error? */
  operationFails(methodName: string): boolean {
    if (!methodMatches(this.current.failOperationMethods, methodName)) return false;
    if (this.current.failNextOperations > 0) {
      this.current.failNextOperations -= 1;
      return true;
    }
    return this.current.failOperationRate > 0 && this.rng() < this.current.failOperationRate;
  }

  /** True (once per configured count) when this insert must lose a race to a twin. */
  takeRace(names: string[]): boolean {
    const key = names.find((n) => (this.current.race409[n] ?? 0) > 0);
    if (key === undefined) return false;
    this.current.race409[key] = (this.current.race409[key] ?? 0) - 1;
    return true;
  }
}

function validate(changes: Partial<FaultSettings>): void {
  for (const key of ['rate429', 'rate503', 'failOperationRate'] as const) {
    const value = changes[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
      throw new Error(`fault ${key} must be a number between 0 and 1, got ${JSON.stringify(value)}`);
    }
  }
  for (const key of ['latencyMs', 'operationDelayMs', 'failNextOperations'] as const) {
    const value = changes[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
      throw new Error(`fault ${key} must be a non-negative number, got ${JSON.stringify(value)}`);
    }
  }
  for (const rule of changes.reject ?? []) {
    if (!['permissionDenied', 'quota', 'orgPolicy'].includes(rule.error)) {
      throw new Error(`fault reject[].error must be permissionDenied, quota or orgPolicy, got ${JSON.stringify(rule.error)}`);
    }
  }
  const known = new Set([...Object.keys(NO_FAULTS), 'seed']);
  for (const key of Object.keys(changes)) if (!known.has(key)) throw new Error(`unknown fault setting ${JSON.stringify(key)}`);
}
