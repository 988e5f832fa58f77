import { decideDelivery, isRetryable, RETRY_WINDOW_MS, tooOldToRetry } from './delivery';
import type { Outcome } from './reconcile/model';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

function failed(serviceKey: string, errorClass: string): Outcome {
  return { serviceKey, status: 'failed', readError: { class: errorClass, message: 'x' }, steps: [] } as unknown as Outcome;
}
const inSync = { serviceKey: 'p/r/a', status: 'in-sync', steps: [] } as unknown as Outcome;

describe('decideDelivery', () => {
  test('nothing to do, or done: acknowledged', () => {
    expect(decideDelivery({ kind: 'skipped' }, NOW)).toEqual({ action: 'ack' });
    expect(decideDelivery({ kind: 'reconciled', outcomes: [inSync, failed('p/r/b', 'permanent')], changedAt: ago(1000) }, NOW)).toEqual({
      action: 'ack',
    });
  });

  test('our own configuration: redelivered however old the change (never acknowledged unprocessed)', () => {
    expect(decideDelivery({ kind: 'config-unusable', problem: 'DRY_RUN must be true or false' }, NOW)).toEqual({
      action: 'redeliver',
      reason: 'configuration unusable: DRY_RUN must be true or false',
    });
  });

  test('a transient failure: redelivered within the window, acknowledged with an alert after it', () => {
    const outcomes = [inSync, failed('p/r/b', 'transient'), failed('p/r/c', 'conflict')];
    expect(decideDelivery({ kind: 'reconciled', outcomes, changedAt: ago(60_000) }, NOW)).toEqual({
      action: 'redeliver',
      reason: 'transient failure reconciling p/r/b, p/r/c',
    });
    expect(decideDelivery({ kind: 'reconciled', outcomes, changedAt: ago(RETRY_WINDOW_MS + 1) }, NOW)).toEqual({
      action: 'ack',
      alert: 'the change is older than 30 min and still fails transiently; the sweep will reconcile p/r/b, p/r/c',
    });
    // Without a usable change time the window cannot be judged: redelivered.
    expect(decideDelivery({ kind: 'reconciled', outcomes }, NOW).action).toBe('redeliver');
  });

  test('shutting down, or a bug: redelivered', () => {
    expect(decideDelivery({ kind: 'shutting-down' }, NOW).action).toBe('redeliver');
    expect(decideDelivery({ kind: 'crashed', error: 'TypeError: x is undefined' }, NOW)).toEqual({
      action: 'redeliver',
      reason: 'TypeError: x is undefined',
    });
  });
});

test('isRetryable: transient or conflict, in the read or in a failed step', () => {
  expect(isRetryable(failed('k', 'transient'))).toBe(true);
  expect(isRetryable(failed('k', 'permission'))).toBe(false);
  expect(isRetryable({ status: 'failed', steps: [{ status: 'failed', error: { class: 'conflict' } }] } as unknown as Outcome)).toBe(true);
  expect(isRetryable(inSync)).toBe(false);
});

test('tooOldToRetry', () => {
  expect(tooOldToRetry(ago(RETRY_WINDOW_MS + 1), NOW)).toBe(true);
  expect(tooOldToRetry(ago(RETRY_WINDOW_MS - 1), NOW)).toBe(false);
  expect(tooOldToRetry(undefined, NOW)).toBe(false);
  expect(tooOldToRetry('not a time', NOW)).toBe(false);
});
