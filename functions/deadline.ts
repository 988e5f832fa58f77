// Bounded waits: every network wait of the function and the CLI ends within a known time, and its
// failure names what was waited for and where (endpoint and the variable that chose it), never a
// library's retry transcript.
import { connect } from 'node:net';
import type { HostPort } from './config/environment';

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/** The endpoint refused the connection or has no address: no point waiting for the deadline. */
export class EndpointUnreachable extends Error {
  override readonly name = 'Unreachable';
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

/** How long a TCP connect may take before the endpoint counts as not answering. */
const PROBE_MS = 2_000;

/**
 * Why `host:port` cannot be reached, in the words of the system call (`ECONNREFUSED 127.0.0.1:8090`,
 * `ENOTFOUND pubsub.example`), or undefined when it accepts a TCP connection (or does not answer
 * within the probe's time: the caller's own deadline says that). The client libraries retry a
 * refused connection until their deadline and then report a bare UNAVAILABLE or timeout; this is
 * the cause a person can act on.
 */
export function unreachableCause(host: string, port: number, ms = PROBE_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.unref(); // never what keeps a process alive
    const done = (cause: string | undefined) => {
      socket.destroy();
      resolve(cause);
    };
    socket.setTimeout(ms, () => done(undefined));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(`${err.code ?? err.name} ${host}:${port}`));
  });
}

/**
 * Rejects with EndpointUnreachable naming `what` and the cause when `host:port` cannot be
 * reached; otherwise never settles. Raced against a client call, it ends the wait at once for a
 * dead endpoint instead of letting the library retry until the deadline.
 */
export async function failIfUnreachable(host: string, port: number, what: string): Promise<never> {
  const cause = await unreachableCause(host, port);
  if (cause) throw new EndpointUnreachable(`${what}: ${cause}`);
  return new Promise<never>(() => undefined);
}
