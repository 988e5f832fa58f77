// Maps what Google says about a failed call onto how the reconciler must treat it (GcpErrorClass).
// Two sources: an error thrown by a google-gax 6 REST call (GoogleError with a gRPC `code`, the
// received `httpStatusCode`, ErrorInfo `reason`, and the raw body gax keeps under a registered
// symbol), and a Compute operation that finished with `error.errors` (codes such as
// RESOURCE_ALREADY_EXISTS). Both become a Failure, decided in one place.
//
// Decisions (the Google facts behind them: docs/google-behaviour.md):
// - Google's reason wins when present: Compute's legacy body carries it in error.errors[].reason
//   (gax drops that array, so it is read from the raw body), other APIs in ErrorInfo.
// - alreadyExists: code 6, or code 10 / HTTP 409, because Compute's 409 arrives as ABORTED.
// - conflict (stale fingerprint/etag: re-read, retry once): HTTP 412, reason conditionNotMet, or a
//   code 9/10 whose message names an etag or fingerprint. The Run v2 etag-mismatch code is
//   unverified (v1 used ABORTED): an ABORTED/409 with no reason on an update call (setIngress,
//   mutate) is a conflict, since an update cannot "already exist"; on an insert it is alreadyExists.
// - notFound: 404 / code 5, except where it means a referenced resource is missing: on an insert,
//   or when Compute's message names another resource than the one acted on ("The resource
//   'projects/…/targetHttpProxies/x' was not found" answering a setTarget): permanent (it will not
//   appear by retrying).
// - transient (bounded backoff): HTTP 429/500/502/503/504, codes 4, 8, 13, 14, and rate-limit
//   reasons even on a 403. A 429 quota exhaustion stays transient (bounded by the reconciler).
// - permanent: everything else, including 403 permission denied, 400 invalid, org policy
//   FAILED_PRECONDITION, and QUOTA_EXCEEDED on an operation: a resource-count quota is not freed
//   by backing off for seconds; a person must raise it.
import { GcpError, type GcpErrorClass } from './port';
import type { AdapterCall } from './permissions';

/** The adapter call and the resource it acted on, for the message and the insert/update rules. */
export interface CallSite {
  call: AdapterCall;
  /** projects/P/regions/R/forwardingRules/N or projects/P/locations/R/services/S */
  resource: string;
  /** Where the call went, `127.0.0.1:8090 (COMPUTE_EMULATOR_HOST)` or Google's host: named when it cannot be reached. */
  endpoint?: string;
}

interface Failure {
  code?: number;
  httpStatus?: number;
  reason?: string;
  message: string;
  /** the connection itself failed (message = its cause, `ECONNREFUSED 127.0.0.1:8090`) */
  unreachable?: boolean;
}

/** Where google-gax 6 keeps the raw HTTP error body (non-enumerable; Symbol.for, so no import). */
const RAW_HTTP_PAYLOAD = Symbol.for('google-gax.rawHttpResponsePayload');

const ALREADY_EXISTS_REASONS = new Set(['alreadyExists', 'ALREADY_EXISTS', 'RESOURCE_ALREADY_EXISTS']);
const CONFLICT_REASONS = new Set(['conditionNotMet', 'CONDITION_NOT_MET', 'ETAG_MISMATCH', 'FINGERPRINT_MISMATCH']);
const NOT_FOUND_REASONS = new Set(['notFound', 'NOT_FOUND', 'RESOURCE_NOT_FOUND']);
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT_EXCEEDED_ERROR']);
const TRANSIENT_HTTP = new Set([429, 500, 502, 503, 504]);
/** DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE */
const TRANSIENT_CODES = new Set([4, 8, 13, 14]);
const STALE_TOKEN = /\b(etag|fingerprint)\b/i;

const CODE_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** Classifies anything a client call threw. A GcpError passes through unchanged. */
export function classify(err: unknown, site?: CallSite): GcpError {
  if (err instanceof GcpError) return err;
  return toGcpError(failureOf(err), site);
}

/** A Compute operation as RegionOperationsClient.wait returns it (only the fields read here). */
export interface FinishedOperation {
  name?: string | null;
  error?: { errors?: Array<{ code?: string | null; message?: string | null }> | null } | null;
  httpErrorStatusCode?: number | null;
  httpErrorMessage?: string | null;
}

/** The GcpError for an operation that finished with errors, or undefined when it succeeded. */
export function operationError(operation: FinishedOperation, site: CallSite): GcpError | undefined {
  const errors = operation.error?.errors ?? [];
  if (errors.length === 0) return undefined;
  const messages = errors.map((e) => e.message ?? e.code ?? 'unknown error');
  return toGcpError(
    {
      httpStatus: operation.httpErrorStatusCode ?? undefined,
      reason: errors.find((e) => e.code)?.code ?? undefined,
      message: `operation ${operation.name ?? '?'} failed: ${messages.join('; ')}`,
    },
    site,
  );
}

function toGcpError(failure: Failure, site: CallSite | undefined): GcpError {
  const errorClass = decide(failure, site);
  const where = site ? `${site.call} ${site.resource}: ` : '';
  const facts = [
    failure.httpStatus !== undefined ? `HTTP ${failure.httpStatus}` : undefined,
    failure.code !== undefined ? `${CODE_NAMES[failure.code] ?? 'code'} (${failure.code})` : undefined,
    failure.reason !== undefined ? `reason ${failure.reason}` : undefined,
  ].filter((fact) => fact !== undefined);
  const said = failure.unreachable && site?.endpoint ? `cannot reach ${site.endpoint}: ${failure.message}` : failure.message;
  const message = `${where}${said}${facts.length ? ` [${facts.join(', ')}]` : ''}`;
  return new GcpError(errorClass, message, failure.code, failure.httpStatus, failure.reason);
}

function decide(failure: Failure, site: CallSite | undefined): GcpErrorClass {
  const { code, httpStatus, reason, message } = failure;
  const call = site?.call;
  const isInsert = call?.startsWith('insert:') ?? false;
  const missingReference = isInsert || namesAnotherResource(message, site);
  const isUpdate = call === 'setIngress' || call === 'setVpcAccess' || (call?.startsWith('mutate:') ?? false);

  if (reason !== undefined) {
    if (ALREADY_EXISTS_REASONS.has(reason)) return 'alreadyExists';
    if (CONFLICT_REASONS.has(reason)) return 'conflict';
    if (RATE_LIMIT_REASONS.has(reason)) return 'transient';
    if (NOT_FOUND_REASONS.has(reason)) return missingReference ? 'permanent' : 'notFound';
  }
  if (httpStatus === 412) return 'conflict';
  if ((code === 9 || code === 10 || httpStatus === 409) && STALE_TOKEN.test(message)) return 'conflict';
  if (code === 6) return 'alreadyExists';
  if (code === 10 || httpStatus === 409) {
    if (/already exists/i.test(message)) return 'alreadyExists';
    return isUpdate ? 'conflict' : 'alreadyExists';
  }
  if (code === 5 || httpStatus === 404) return missingReference ? 'permanent' : 'notFound';
  if ((httpStatus !== undefined && TRANSIENT_HTTP.has(httpStatus)) || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return 'transient';
  }
  return 'permanent';
}

/** Compute's 404 says which resource was not found; another one than `site.resource` is a missing reference. */
function namesAnotherResource(message: string, site: CallSite | undefined): boolean {
  const named = /The resource '(?:[^']*\/)?(projects\/[^']+)' was not found/.exec(message)?.[1];
  return site !== undefined && named !== undefined && named !== site.resource;
}

function failureOf(err: unknown): Failure {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const fields = err as { code?: unknown; httpStatusCode?: unknown; reason?: unknown; message?: unknown };
  const body = rawErrorBody(err);
  const bodyReason = body?.errors?.find((e) => typeof e.reason === 'string')?.reason;
  const httpStatus = numberOr(fields.httpStatusCode) ?? numberOr(body?.code);
  const cause = networkCause(err);
  if (cause) return { code: numberOr(fields.code), httpStatus, message: cause, unreachable: true };
  return {
    code: numberOr(fields.code),
    httpStatus,
    reason: bodyReason ?? (typeof fields.reason === 'string' && fields.reason ? fields.reason : undefined),
    message: typeof fields.message === 'string' && fields.message ? fields.message : (body?.message ?? String(err)),
  };
}

interface RawErrorBody {
  code?: unknown;
  message?: string;
  errors?: Array<{ reason?: string; message?: string }>;
}

function rawErrorBody(err: object): RawErrorBody | undefined {
  const raw = (err as Record<symbol, unknown>)[RAW_HTTP_PAYLOAD];
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = JSON.parse(raw) as { error?: RawErrorBody } | RawErrorBody[] | null;
    const wrapper = Array.isArray(parsed) ? parsed[0] : parsed;
    const body = wrapper && typeof wrapper === 'object' && 'error' in wrapper ? wrapper.error : undefined;
    return body && typeof body === 'object' ? body : undefined;
  } catch {
    return undefined; // not JSON (an HTML error page): gax already put the status on the error
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A system error code such as ECONNREFUSED or ENOTFOUND. */
const SYSTEM_CODE = /^E[A-Z]{3,}$/;
/** How gRPC quotes it: "connect ECONNREFUSED 127.0.0.1:8090". */
const QUOTED_CAUSE = /\b(E[A-Z]{3,}) (\S+:\d+)/;

/**
 * `ECONNREFUSED 127.0.0.1:8090` when the call never reached the API: found in the error's cause
 * chain (fetch: TypeError "fetch failed" → cause {code, address, port}, or an AggregateError of
 * them) or in gRPC's message. Undefined for an answer from the API.
 */
export function networkCause(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 5) return undefined;
  const e = err as {
    code?: unknown;
    address?: unknown;
    port?: unknown;
    hostname?: unknown;
    cause?: unknown;
    errors?: unknown;
    message?: unknown;
  };
  if (typeof e.code === 'string' && SYSTEM_CODE.test(e.code)) {
    const host = typeof e.address === 'string' ? e.address : typeof e.hostname === 'string' ? e.hostname : undefined;
    return host ? `${e.code} ${host}${typeof e.port === 'number' ? `:${e.port}` : ''}` : e.code;
  }
  const nested = networkCause(e.cause, depth + 1) ?? (Array.isArray(e.errors) ? networkCause(e.errors[0], depth + 1) : undefined);
  if (nested) return nested;
  const quoted = typeof e.message === 'string' ? QUOTED_CAUSE.exec(e.message) : null;
  return quoted ? `${quoted[1]} ${quoted[2]}` : undefined;
}
