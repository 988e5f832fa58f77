// Graceful shutdown. Cloud Run sends SIGTERM and kills the instance 10 s later. On SIGTERM the
// function stops starting work (new deliveries are answered for redelivery), gives in-flight
// events up to GRACE_MS to finish, flushes notifications, and exits. An event still running then
// is abandoned unanswered, so Pub/Sub redelivers it: nothing is acknowledged half-done.
//
// The Functions Framework installs its own SIGTERM/SIGINT handler when its server starts, which
// answers the latest request with 500 and exits at once (no drain, no flush). Ours replaces it.
import type { Deps } from './composition-root';
import { withDeadline } from './deadline';

export const GRACE_MS = 8_000;

export interface Shutdown {
  /** True from SIGTERM on: nothing new is started. */
  readonly draining: boolean;
  /** Counts `work` as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
}

/** No signal handling: work is tracked by nothing and never drained. */
export const NO_SHUTDOWN: Shutdown = { draining: false, track: (work) => work };

export function drainOnSigterm(
  deps: Pick<Deps, 'logger' | 'close'>,
  options: { graceMs?: number; exit?: (code: number) => void } = {},
): Shutdown {
  const { graceMs = GRACE_MS, exit = (code: number) => process.exit(code) } = options;
  const inFlight = new Set<Promise<unknown>>();
  const state = { draining: false };

  async function drain(signal: string): Promise<void> {
    if (state.draining) return;
    state.draining = true;
    deps.logger.log('NOTICE', `${signal}: draining ${inFlight.size} in-flight event(s) for up to ${graceMs / 1000} s, then exiting`, {
      shutdown: true,
    });
    const settled = await withDeadline(
      Promise.allSettled([...inFlight]).then(() => true),
      graceMs,
      'in-flight events',
    ).catch(() => false);
    // Notifications get what is left of Cloud Run's 10 s.
    await withDeadline(deps.close(), 1_500, 'flushing notifications').catch((err: unknown) =>
      deps.logger.log('WARNING', `notifications not flushed before exit: ${err instanceof Error ? err.message : String(err)}`, {
        shutdown: true,
      }),
    );
    const left = inFlight.size;
    deps.logger.log(
      'NOTICE',
      settled ? `${signal}: drained, exiting` : `${signal}: exiting with ${left} event(s) unanswered; Pub/Sub will redeliver them`,
      {
        shutdown: true,
      },
    );
    exit(0);
  }

  const ours = (signal: NodeJS.Signals) => void drain(signal);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, ours);
  process.on('newListener', (event, listener) => {
    if ((event === 'SIGTERM' || event === 'SIGINT') && listener !== ours) {
      // Added right after this callback returns: take it off again then.
      queueMicrotask(() => process.removeListener(event, listener as (...args: unknown[]) => void));
    }
  });

  return {
    get draining() {
      return state.draining;
    },
    track(work) {
      inFlight.add(work);
      const done = () => inFlight.delete(work);
      work.then(done, done);
      return work;
    },
  };
}
