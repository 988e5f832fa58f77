import { redactJson, registerSecret } from './log';

describe('redactJson', () => {
  it('scrubs a registered secret from every string of a JSON value and keeps its shape', () => {
    const secret = 'https://hooks.slack.invalid/services/T0/B0/log-test-sentinel';
    registerSecret(secret);
    const summary = { services: 2, errors: [{ serviceKey: 'p/r/s', message: `posting to ${secret} failed` }] };
    expect(redactJson(summary)).toEqual({ services: 2, errors: [{ serviceKey: 'p/r/s', message: 'posting to [redacted] failed' }] });
    expect(summary.errors[0]?.message).toContain(secret); // the input is left alone
  });
});
