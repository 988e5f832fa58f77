// What Google refuses on a backend service whose backends are serverless NEGs: a timeout (it keeps
// its default, 30 s; the request timeout is the Cloud Run service's own), health checks and a
// backend's maxUtilization (docs/google-behaviour.md, "Serverless NEG backends"). The desired
// chain never sends them and the mesh schema refuses a declared timeout; a backend service found
// with another timeout is reported, never patched: the patch would be refused on every repair.
import type { Drift } from './model';

/** The timeout a backend service with serverless NEG backends has and cannot change. */
export const SERVERLESS_BACKEND_TIMEOUT_SEC = 30;

export const SERVERLESS_REFUSED_REASON =
  'Google refuses timeoutSec on a backend service with serverless NEG backends, so it cannot be patched back; recreate the backend service without it';

/** Drift of a field the repair may not write (Google would refuse the write). */
export function isRefusedOnServerless(d: Drift): boolean {
  return d.type === 'mutable' && d.kind === 'backendService' && d.field === 'timeoutSec';
}
