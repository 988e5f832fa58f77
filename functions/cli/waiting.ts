// A command waiting on the network says what for: after WAIT_NOTICE_MS without an answer, one
// line on stderr names what it waits for, with the endpoint and the variable that chose it, so a
// slow or dead endpoint is never a silent hang. Every such wait also has a deadline
// (docs/operations.md, "Bounded waits"), after which the failure is said in one line.
import type { CliIO } from './command';

export const WAIT_NOTICE_MS = 2_000;

/** `work`; if it is still running after `afterMs`, `waits()` (what it is waiting for now) is said once. */
export async function sayWhileWaiting<T>(io: CliIO, work: Promise<T>, waits: () => string[], afterMs = WAIT_NOTICE_MS): Promise<T> {
  const timer = setTimeout(() => {
    const what = waits();
    if (what.length > 0) io.stderr(`mesh-remediator: waiting for ${what.join(' and ')}…\n`);
  }, afterMs);
  timer.unref();
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}
