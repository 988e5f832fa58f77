// Remembers recently acted-on operation entries so a redelivered or duplicated entry does not start
// another reconcile. Bounded: the least recently seen key is dropped first (a Map keeps insertion
// order; a hit re-inserts). A lost key only costs one redundant, idempotent reconcile.
export class OperationDedupe {
  private readonly seen = new Map<string, true>();

  constructor(readonly capacity = 10_000) {
    if (!(capacity >= 1)) throw new RangeError(`OperationDedupe capacity must be >= 1, got ${capacity}`);
  }

  /** Records `key`; true when it had already been recorded (and not yet evicted or forgotten). */
  seenBefore(key: string): boolean {
    const hit = this.seen.delete(key);
    this.seen.set(key, true);
    if (!hit && this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    return hit;
  }

  /** Undo a record, e.g. when the reconcile failed and the delivery will be retried. */
  forget(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
