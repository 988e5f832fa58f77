// Waiting for something a child process will say, without a fixed sleep: `find` is asked every
// 20 ms until it finds it, the time is up or `gaveUp` says there is no point (the process exited).
const INTERVAL_MS = 20;

export async function pollFor<T>(
  find: () => T | undefined,
  timeoutMs: number,
  failure: () => string,
  gaveUp: () => boolean = () => false,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline || gaveUp()) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
}
