// Bounded waits: every network wait of the function and the CLI ends within a known time, and its
// failure names what was waited for and where (endpoint and the variable that chose it), never a
// library's retry transcript.
import type { HostPort } from './config/environment';

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/** `work`, or a DeadlineExceeded naming `what` after `ms`. The timer never keeps the process alive. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`${what}: no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a client talks to: `127.0.0.1:8090 (COMPUTE_EMULATOR_HOST)` or Google's host. */
export function endpointName(emulator: HostPort | undefined, googleHost: string): string {
  return emulator ? `${emulator.host}:${emulator.port} (${emulator.variable})` : googleHost;
}
