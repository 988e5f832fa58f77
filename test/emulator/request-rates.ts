// Per-API request-rate accounting: the sweep benchmark proves its 20 req/s cap holds by reading
// the highest number of requests any API saw inside one sliding 1-second window.
export type Api = 'run' | 'compute';

export interface RateSnapshot {
  /** requests so far */
  total: number;
  /** most requests seen within any 1000 ms sliding window */
  maxPerSecond: number;
}

export class RequestRates {
  private readonly recent: Record<Api, number[]> = { run: [], compute: [] };
  private readonly stats: Record<Api, RateSnapshot> = { run: { total: 0, maxPerSecond: 0 }, compute: { total: 0, maxPerSecond: 0 } };

  record(api: Api, now = Date.now()): void {
    const window = this.recent[api];
    window.push(now);
    while (window.length > 0 && (window[0] ?? now) <= now - 1000) window.shift();
    const stats = this.stats[api];
    stats.total += 1;
    stats.maxPerSecond = Math.max(stats.maxPerSecond, window.length);
  }

  snapshot(): Record<Api, RateSnapshot> {
    return { run: { ...this.stats.run }, compute: { ...this.stats.compute } };
  }

  reset(): void {
    for (const api of ['run', 'compute'] as const) {
      this.recent[api] = [];
      this.stats[api] = { total: 0, maxPerSecond: 0 };
    }
  }
}
