import { redactError, redactJson, registerSecret } from './log';

describe('redactJson', () => {
  it('scrubs a registered secret from every string of a JSON value and keeps its shape', () => {
    const secret = 'https://hooks.slack.invalid/services/T0/B0/log-test-sentinel';
    registerSecret(secret);
    const summary = { services: 2, errors: [{ serviceKey: 'p/r/s', message: `posting to ${secret} failed` }] };
    expect(redactJson(summary)).toEqual({ services: 2, errors: [{ serviceKey: 'p/r/s', message: 'posting to [redacted] failed' }] });
    expect(summary.errors[0]?.message).toContain(secret); // the input is left alone
  });
});

describe('redactError', () => {
  it('scrubs the message and the stack of the same error object, whose type and fields stay', () => {
    const secret = 'https://hooks.slack.invalid/services/T0/B0/error-sentinel';
    registerSecret(secret);
    class Tagged extends Error {
      readonly tag = 'kept';
    }
    const err = new Tagged(`cannot post to ${secret}`);
    expect(redactError(err)).toBe(err);
    expect(err.message).toBe('cannot post to [redacted]');
    expect(err.stack).not.toContain('error-sentinel');
    expect(err.tag).toBe('kept');
    expect(redactError(`thrown text ${secret}`)).toBe('thrown text [redacted]');
  });
});
