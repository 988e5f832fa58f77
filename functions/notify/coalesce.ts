// Bursts become one delivery: the first item opens a window of `windowMs`; everything added
// before it closes is delivered together when it does. Deliveries run one at a time, in order
// (Slack allows about one message per second per webhook).

export interface CoalescerOptions<T> {
  windowMs: number;
  deliver: (batch: T[]) => Promise<void>;
  /** Called when a delivery rejects, so one bad batch cannot stop the ones after it. */
  onError: (err: unknown) => void;
  now?: () => number;
}

export interface Coalescer<T> {
  add(item: T): void;
  /**
   * Resolves once everything added so far is delivered. It lets the open window run its course
   * instead of cutting it short, so outcomes from concurrent requests on one instance still
   * share a message; the wait is at most one window plus the delivery.
   */
  flush(): Promise<void>;
}

export function createCoalescer<T>(options: CoalescerOptions<T>): Coalescer<T> {
  const { windowMs, deliver, onError, now = Date.now } = options;
  let open: { items: T[]; openedAt: number; timer: NodeJS.Timeout; closed: Promise<void>; close: () => void } | null = null;
  let deliveries: Promise<void> = Promise.resolve();

  function closeWindow(): void {
    if (!open) return;
    const { items, timer, close } = open;
    open = null;
    clearTimeout(timer);
    deliveries = deliveries.then(() => deliver(items)).catch(onError);
    close();
  }

  return {
    add(item) {
      // A timer that fires late (a busy event loop) must not stretch the window.
      if (open && now() - open.openedAt >= windowMs) closeWindow();
      if (!open) {
        let close = (): void => undefined;
        const closed = new Promise<void>((resolve) => (close = resolve));
        open = { items: [], openedAt: now(), timer: setTimeout(closeWindow, windowMs), closed, close };
      }
      open.items.push(item);
    },
    async flush() {
      if (open) await open.closed;
      await deliveries;
    },
  };
}
