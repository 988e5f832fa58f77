// Requests per project, API and method (GET /admin/requests): benches and tests count calls
// (lists versus GETs, refusals) from the server's side instead of trusting the client.
import type { Json } from './json';

export interface MethodCount {
  calls: number;
  /** answered 403 rateLimitExceeded / 429 by the quota accounting */
  refused: number;
}

/** project → api → methodName → counts */
export type RequestCountSnapshot = Record<string, Record<string, Record<string, MethodCount>>>;

export class RequestCounts {
  private counts: RequestCountSnapshot = {};

  record(project: string, api: string, methodName: string, refused = false): void {
    const method = (((this.counts[project] ??= {})[api] ??= {})[methodName] ??= { calls: 0, refused: 0 });
    method.calls += 1;
    if (refused) method.refused += 1;
  }

  snapshot(): RequestCountSnapshot {
    return JSON.parse(JSON.stringify(this.counts)) as RequestCountSnapshot;
  }

  toJson(): Json {
    return this.snapshot() as unknown as Json;
  }

  reset(): void {
    this.counts = {};
  }
}

/** Sums calls (or refusals) over a snapshot, optionally only for methods matching `method`. */
export function totalCalls(snapshot: RequestCountSnapshot, options: { api?: string; method?: RegExp; refused?: boolean } = {}): number {
  let total = 0;
  for (const apis of Object.values(snapshot)) {
    for (const [api, methods] of Object.entries(apis)) {
      if (options.api && api !== options.api) continue;
      for (const [name, count] of Object.entries(methods)) {
        if (options.method && !options.method.test(name)) continue;
        total += options.refused ? count.refused : count.calls;
      }
    }
  }
  return total;
}
