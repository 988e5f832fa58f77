// A command waiting on the network says what for: after WAIT_NOTICE_MS without an answer, one
// line on stderr names what it waits for, with the endpoint and the variable that chose it, so a
// slow or dead endpoint is never a silent hang. Every such wait also has a deadline
// (docs/operations.md, "Bounded waits"), after which the failure is said in one line.
import type { MeshIndex } from '../config/mesh-index';
import type { InFlightCall } from '../gcp/in-flight';
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

/** Where a command's Google calls are seen: the adapter's in-flight calls, and the mesh to name their services. */
export interface GoogleCalls {
  googleCalls(): InFlightCall[];
  index?: MeshIndex;
}

/**
 * `work`, saying on stderr what it waits for whenever a Google call has gone unanswered for
 * `afterMs` (an API that accepts the connection and says nothing). One line per stall, however
 * many calls wait: the oldest, and how many more; a new line only after every call waiting that
 * long was answered (the next retry that stalls again).
 */
export async function sayWhileGoogleAnswers<T>(io: CliIO, google: GoogleCalls, work: Promise<T>, afterMs = WAIT_NOTICE_MS): Promise<T> {
  let said = false;
  const timer = setInterval(() => {
    const waiting = google.googleCalls();
    const oldest = waiting[0];
    const stalled = oldest !== undefined && Date.now() - oldest.startedAt >= afterMs;
    if (stalled && !said) io.stderr(`mesh-remediator: waiting for ${googleWait(waiting, google.index)}…\n`);
    said = stalled;
  }, afterMs / 4);
  timer.unref();
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * `Compute (127.0.0.1:8090, COMPUTE_EMULATOR_HOST): get forwardingRule projects/P/regions/R/forwardingRules/N
 * for service S (3 s), and 6 more calls`: the oldest call of `waiting` (oldest first). Never a secret:
 * endpoints are host:port, resources are paths.
 */
export function googleWait(waiting: InFlightCall[], index: MeshIndex | undefined, now = Date.now()): string {
  const [oldest, ...others] = waiting as [InFlightCall, ...InFlightCall[]];
  const where = oldest.variable ? `${oldest.endpoint}, ${oldest.variable}` : oldest.endpoint;
  const services = oldest.target
    ? (index?.forResource(oldest.target.ref.project, oldest.target.ref.region, oldest.target.kind, oldest.target.ref.name) ?? [])
    : [];
  const forService = services.length > 0 ? ` for service ${services.map((svc) => svc.service).join(', ')}` : '';
  const seconds = Math.floor((now - oldest.startedAt) / 1000);
  const more = others.length > 0 ? `, and ${others.length} more ${others.length === 1 ? 'call' : 'calls'}` : '';
  return `${oldest.api} (${where}): ${callWords(oldest.call)} ${oldest.resource}${forService} (${seconds} s)${more}`;
}

/** `get:forwardingRule` → `get forwardingRule`, `mutate:urlMap:patch` → `patch urlMap`. */
function callWords(call: string): string {
  const [verb, kind, method] = call.split(':');
  return verb === 'mutate' && method ? `${method} ${kind}` : call.split(':').join(' ');
}
