// What each request to Google waits for before it is sent. The adapter asks once per HTTP request
// (a list page, a GET, a write, each operation wait or poll), because that is what Google's rate
// quotas count (docs/google-behaviour.md, "Rate quotas"): a call that makes several requests
// takes as many units, not one.
import { GcpError } from './port';

/** Google's quota groups as mesh-remediator limits them (API_QUOTAS_PER_MINUTE). */
export type QuotaGroup = 'compute.read' | 'compute.list' | 'compute.write' | 'compute.operationRead' | 'run.read' | 'run.write';

export const QUOTA_GROUPS: readonly QuotaGroup[] = [
  'compute.read',
  'compute.list',
  'compute.write',
  'compute.operationRead',
  'run.read',
  'run.write',
];

/** One request as Google's quotas count it: its group, in its project (and region, for Cloud Run). */
export interface GoogleRequest {
  group: QuotaGroup;
  project: string;
  region: string;
}

export interface RequestGate {
  /** Resolves when the request may be sent, with the function to call once its answer is back. */
  admit(request: GoogleRequest): Promise<() => void>;
  /** Google refused the request for rate (isRateRefusal). */
  refused(request: GoogleRequest): void;
}

/** Google's refusals for rate: Compute's 403 `rateLimitExceeded`, any 429. */
export function isRateRefusal(err: unknown): err is GcpError {
  return err instanceof GcpError && (err.httpStatus === 429 || (err.httpStatus === 403 && /rate_?limit_?exceeded/i.test(err.reason ?? '')));
}

/** Each request passes every gate in order and holds its place in each until its answer is back. */
export function allOf(gates: readonly RequestGate[]): RequestGate {
  return {
    async admit(request) {
      const answered: Array<() => void> = [];
      try {
        for (const gate of gates) answered.push(await gate.admit(request));
      } catch (err) {
        for (const done of answered) done();
        throw err;
      }
      return () => {
        for (const done of answered) done();
      };
    },
    refused(request) {
      for (const gate of gates) gate.refused(request);
    },
  };
}

/** No limit: every request is sent at once. */
export const OPEN_GATE: RequestGate = {
  admit: () => Promise.resolve(() => undefined),
  refused: () => undefined,
};
