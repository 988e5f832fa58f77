// Per-service circuit breaker: a service repaired more than `maxRepairs` times inside a sliding
// window of `windowSec` is flapping (someone or something keeps undoing us); stop repairing it
// and alert instead of fighting. Per instance, in memory, like single-flight.
import type { BreakerPolicy } from '../config/mesh';

export class Breaker {
  private readonly repairs = new Map<string, number[]>();

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => Date,
  ) {}

  /** True when one more repair of `key` would exceed the limit. */
  isOpen(key: string): boolean {
    return this.recent(key).length >= this.policy.maxRepairs;
  }

  /** Counts one repair (an apply that wrote something). */
  record(key: string): void {
    this.repairs.set(key, [...this.recent(key), this.now().getTime()]);
  }

  /** Repairs of `key` inside the window ending now. */
  recent(key: string): number[] {
    const since = this.now().getTime() - this.policy.windowSec * 1000;
    return (this.repairs.get(key) ?? []).filter((at) => at > since);
  }
}
