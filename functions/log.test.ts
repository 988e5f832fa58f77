import { createLogger, Redactor, slackRedactor } from './log';

describe('Redactor.json', () => {
  it('scrubs a known secret from every string of a JSON value and keeps its shape', () => {
    const secret = 'https://hooks.slack.invalid/services/T0/B0/log-test-sentinel';
    const redactor = new Redactor().add(secret);
    const summary = { services: 2, errors: [{ serviceKey: 'p/r/s', message: `posting to ${secret} failed` }] };
    expect(redactor.json(summary)).toEqual({ services: 2, errors: [{ serviceKey: 'p/r/s', message: 'posting to [redacted] failed' }] });
    expect(summary.errors[0]?.message).toContain(secret); // the input is left alone
  });
});

describe('Redactor.error', () => {
  it('scrubs the message and the stack of the same error object, whose type and fields stay', () => {
    const secret = 'https://hooks.slack.invalid/services/T0/B0/error-sentinel';
    const redactor = new Redactor().add(secret);
    class Tagged extends Error {
      readonly tag = 'kept';
    }
    const err = new Tagged(`cannot post to ${secret}`);
    expect(redactor.error(err)).toBe(err);
    expect(err.message).toBe('cannot post to [redacted]');
    expect(err.stack).not.toContain('error-sentinel');
    expect(err.tag).toBe('kept');
    expect(redactor.error(`thrown text ${secret}`)).toBe('thrown text [redacted]');
  });
});

describe('slackRedactor and the logger', () => {
  it('knows the webhook URL and its path (the token), and a logger built with it scrubs every field', () => {
    const url = 'https://hooks.slack.invalid/services/T0/B0/logger-sentinel';
    const lines: string[] = [];
    const logger = createLogger((line) => lines.push(line), slackRedactor(url)).with({ insertId: 'x' });
    logger.log('ERROR', `posting to ${url} failed`, { detail: { path: '/services/T0/B0/logger-sentinel' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('logger-sentinel');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      message: 'posting to [redacted] failed',
      detail: { path: '[redacted]' },
      insertId: 'x',
    });
  });

  it('two processes-worth of redactors do not share secrets (no process-wide set)', () => {
    const one = new Redactor().add('first-secret-value');
    const two = new Redactor();
    expect(one.text('a first-secret-value b')).toBe('a [redacted] b');
    expect(two.text('a first-secret-value b')).toBe('a first-secret-value b');
  });
});
