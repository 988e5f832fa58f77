// Single-flight per key: while a task for a key runs, every further request for that key shares
// ONE follow-up run that starts when the current one ends (it must start after, because the
// events that arrived may describe changes the running read already missed). A burst of N events
// costs at most two runs.

interface Slot<T> {
  running: Promise<T>;
  next?: Promise<T>;
}

export class SingleFlight<T> {
  private readonly slots = new Map<string, Slot<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) return this.start(key, task);
    if (!slot.next) {
      const settled = slot.running.then(noop, noop);
      slot.next = settled.then(() => this.start(key, task));
    }
    return slot.next;
  }

  /** Keys with a run in progress. */
  active(): string[] {
    return [...this.slots.keys()];
  }

  private start(key: string, task: () => Promise<T>): Promise<T> {
    const slot: Slot<T> = { running: Promise.resolve().then(task) };
    this.slots.set(key, slot);
    // Leave the slot in place when a follow-up is queued: it replaces the slot when it starts,
    // so nobody can slip a third concurrent run in between.
    const release = () => {
      if (this.slots.get(key) === slot && !slot.next) this.slots.delete(key);
    };
    slot.running.then(release, release);
    return slot.running;
  }
}

function noop(): void {}
