// Settings Compute refuses on a backend service whose backends are serverless NEGs, with Google's
// messages (docs/google-behaviour.md, "Serverless NEG backends": each one recorded in a public
// report of the real refusal). A timeout equal to the fixed 30 s is what a read shows, so a full
// update that sends it back (as gcloud's does) passes.
import { invalid, type GoogleApiError } from './google-error';
import type { Json } from './json';

const FIXED_TIMEOUT_SEC = 30;

/** The refusal for a backend service about to be written, or undefined when Compute would take it. */
export function serverlessRefusal(backendService: Json, isServerlessNeg: (group: string) => boolean): GoogleApiError | undefined {
  const backends = Array.isArray(backendService.backends) ? (backendService.backends as Json[]) : [];
  if (!backends.some((b) => typeof b.group === 'string' && isServerlessNeg(b.group))) return undefined;
  const timeout = backendService.timeoutSec;
  if (timeout !== undefined && timeout !== FIXED_TIMEOUT_SEC) {
    return invalid(
      `Invalid value for field 'resource.timeoutSec': '${String(timeout)}'. Timeout sec is not supported for a backend service with Serverless network endpoint groups.`,
    );
  }
  if (Array.isArray(backendService.healthChecks) && backendService.healthChecks.length > 0) {
    return invalid(
      `Invalid value for field 'resource.healthChecks': ''. A backend service cannot have a healthcheck with Serverless network endpoint group backends.`,
    );
  }
  for (const [i, backend] of backends.entries()) {
    if (backend.maxUtilization !== undefined) {
      return invalid(
        `Invalid value for field 'resource.backends[${i}].maxUtilization': '${decimal(backend.maxUtilization)}'. Max utilization is not supported for Serverless network endpoint groups.`,
      );
    }
    if (backend.balancingMode !== undefined && backend.balancingMode !== 'UTILIZATION') {
      return invalid(
        `Invalid value for field 'resource.backends[${i}].balancingMode': '${String(backend.balancingMode)}'. Balancing mode is not supported for Serverless network endpoint groups.`,
      );
    }
  }
  return undefined;
}

/** Compute prints a float field with its decimal point: 1 → '1.0'. */
function decimal(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? value.toFixed(1) : String(value);
}
