// Google's error responses. Compute (the discovery-era API) answers
// {"error":{"code","message","errors":[{message,domain,reason}]}} and no `status`, so google-gax
// maps the HTTP code (409 → gRPC 10 ABORTED); Cloud Run v2 (a One Platform API) answers
// {"error":{"code","message","status"}} and gax takes the code from `status`.
import type { Json } from './json';

/** google.rpc.Code by canonical name, for `status` fields and audit-log `status.code`. */
export const RPC_CODE: Record<string, number> = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
};

export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  constructor(
    readonly httpStatus: number,
    /** canonical status, e.g. NOT_FOUND */
    readonly status: string,
    message: string,
    /** Compute's errors[].reason, e.g. notFound, alreadyExists, conditionNotMet */
    readonly reason: string,
    /** extra google.rpc details (Cloud Run org-policy violations) */
    readonly details?: Json[],
  ) {
    super(message);
  }

  get rpcCode(): number {
    return RPC_CODE[this.status] ?? 2;
  }

  computeBody(): Json {
    return {
      error: { code: this.httpStatus, message: this.message, errors: [{ message: this.message, domain: 'global', reason: this.reason }] },
    };
  }

  runBody(): Json {
    const error: Json = { code: this.httpStatus, message: this.message, status: this.status };
    if (this.details) error.details = this.details;
    return { error };
  }
}

export const notFound = (partial: string): GoogleApiError =>
  new GoogleApiError(404, 'NOT_FOUND', `The resource '${partial}' was not found`, 'notFound');

export const alreadyExists = (partial: string): GoogleApiError =>
  new GoogleApiError(409, 'ALREADY_EXISTS', `The resource '${partial}' already exists`, 'alreadyExists');

export const conditionNotMet = (what = 'fingerprint'): GoogleApiError =>
  new GoogleApiError(412, 'FAILED_PRECONDITION', `Supplied ${what} does not match current metadata ${what}.`, 'conditionNotMet');

export const invalid = (message: string): GoogleApiError => new GoogleApiError(400, 'INVALID_ARGUMENT', message, 'invalid');

export const resourceInUse = (collection: string, partial: string, user: string): GoogleApiError =>
  new GoogleApiError(
    400,
    'FAILED_PRECONDITION',
    `The ${collection} resource '${partial}' is already being used by '${user}'`,
    'resourceInUseByAnotherResource',
  );

export const rateLimited = (): GoogleApiError =>
  new GoogleApiError(429, 'RESOURCE_EXHAUSTED', 'Rate Limit Exceeded (injected fault)', 'rateLimitExceeded');

export const unavailable = (): GoogleApiError =>
  new GoogleApiError(503, 'UNAVAILABLE', 'The service is currently unavailable (injected fault).', 'backendError');

export const permissionDenied = (permission: string, resource: string): GoogleApiError =>
  new GoogleApiError(403, 'PERMISSION_DENIED', `Required '${permission}' permission for '${resource}'`, 'forbidden');

export const quotaExceeded = (method: string): GoogleApiError =>
  new GoogleApiError(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric 'Write requests' (${method}, injected fault)`,
    'rateLimitExceeded',
  );

/** Cloud Run refusing an ingress the org policy forbids (message shape assumed). */
export const orgPolicyViolation = (methodName: string): GoogleApiError =>
  new GoogleApiError(
    400,
    'FAILED_PRECONDITION',
    `Violation in ${methodName.slice(methodName.lastIndexOf('.') + 1)}Request.service.ingress: The organization policy 'constraints/run.allowedIngress' forbids the requested ingress setting.`,
    'conditionNotMet',
    [
      {
        '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
        violations: [
          {
            type: 'constraints/run.allowedIngress',
            subject: 'orgpolicy:projects',
            description: 'ingress setting not allowed by organization policy',
          },
        ],
      },
    ],
  );
