import { dirname, join } from 'node:path';
import * as gax from 'google-gax/fallback';
import { shareStatusRoot } from './status-protos';

// A quota refusal as Google sends it: google.rpc.Status with an ErrorInfo detail.
const quotaRefusal = () => ({
  error: {
    code: 429,
    message: 'Quota exceeded for quota metric Read requests',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: { service: 'compute.googleapis.com', quota_limit: 'ReadRequestsPerMinutePerProject' },
      },
    ],
  },
});
// Compute's legacy shape: no status, the reason in errors[].
const notFound = () => ({
  error: { code: 404, message: "The resource 'x' was not found", errors: [{ message: 'not found', domain: 'global', reason: 'notFound' }] },
});

const decoded = (body: object) => {
  const error = gax.GoogleError.parseHttpError(body);
  return { ...error, message: error.message };
};

describe('shareStatusRoot', () => {
  const before = [decoded(quotaRefusal()), decoded(notFound())];
  shareStatusRoot(gax);
  shareStatusRoot(gax); // idempotent: a second Clients does not wrap the cache again

  it("builds gax's status.json into one Root, and every other descriptor as before", () => {
    const statusJson = require(join(dirname(require.resolve('google-gax/fallback')), '..', 'protos', 'status.json')) as object;
    expect(gax.protobuf.Root.fromJSON(statusJson)).toBe(gax.protobuf.Root.fromJSON(statusJson));
    const other = { nested: { a: { nested: { M: { fields: { x: { type: 'string', id: 1 } } } } } } };
    expect(gax.protobuf.Root.fromJSON(other)).not.toBe(gax.protobuf.Root.fromJSON(other));
  });

  it('decodes error responses as gax does with a Root of its own each time', () => {
    const after = [decoded(quotaRefusal()), decoded(notFound()), decoded(quotaRefusal())];
    expect(after).toEqual([before[0], before[1], before[0]]);
    expect(after[0]).toMatchObject({ code: 8, reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com' });
  });
});
