import { Admission } from './admission';
import type { AuditEvent } from './events/audit-event';
import type { Outcome } from './reconcile/model';

const KEY = 'demo-project/asia-northeast1/server-service';

function event(timestamp: string, operation?: AuditEvent['operation']): AuditEvent {
  return {
    insertId: 'i',
    methodName: 'v1.compute.forwardingRules.delete',
    api: 'compute',
    verb: 'delete',
    target: { kind: 'forwardingRule', project: 'demo-project', region: 'asia-northeast1', name: 'internal-lb-frontend' },
    timestamp,
    ...(operation ? { operation } : {}),
  } as AuditEvent;
}

function outcome(status: Outcome['status'], startedAt: string): Outcome {
  return { serviceKey: KEY, status, startedAt } as Outcome;
}

describe('Admission', () => {
  test('an operation entry is admitted once; released (its delivery will be retried), it is admitted again', () => {
    const admission = new Admission();
    const request = {
      event: event('2026-11-29T12:00:00Z', { id: 'op-1', first: false, last: true }),
      keys: [KEY],
      operationKey: 'op-1/last',
    };
    expect(admission.admit(request)).toEqual({ kind: 'admit', keys: [KEY] });
    expect(admission.admit(request)).toMatchObject({
      kind: 'skip',
      reason: 'duplicate-operation',
      detail: 'v1.compute.forwardingRules.delete: operation op-1 was already handled',
    });
    admission.release('op-1/last');
    expect(admission.admit(request).kind).toBe('admit');
  });

  test('a change older than a reconcile that found the service as declared is already verified', async () => {
    const admission = new Admission();
    await admission.run(KEY, false, async () => outcome('repaired', '2026-11-29T12:00:10Z'));
    expect(admission.admit({ event: event('2026-11-29T12:00:00Z'), keys: [KEY] })).toMatchObject({
      kind: 'skip',
      reason: 'already-verified',
    });
    // Within the clock margin, or after the read began: reconciled again.
    expect(admission.admit({ event: event('2026-11-29T12:00:09.900Z'), keys: [KEY] }).kind).toBe('admit');
    expect(admission.admit({ event: event('2026-11-29T12:00:11Z'), keys: [KEY] }).kind).toBe('admit');
  });

  test('a failed reconcile verifies nothing', async () => {
    const admission = new Admission();
    await admission.run(KEY, false, async () => outcome('failed', '2026-11-29T12:00:10Z'));
    expect(admission.admit({ event: event('2026-11-29T12:00:00Z'), keys: [KEY] }).kind).toBe('admit');
  });

  test('one run per key at a time: callers meanwhile share one follow-up; a dry-run never rides on a real run', async () => {
    const admission = new Admission();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const task = async () => {
      runs++;
      await gate;
      return outcome('in-sync', new Date().toISOString());
    };
    const first = admission.run(KEY, false, task);
    const joiners = Array.from({ length: 10 }, () => admission.run(KEY, false, task));
    const dry = admission.run(KEY, true, task);
    expect(admission.active()).toEqual([KEY, KEY]);
    release();
    const [a, ...rest] = await Promise.all([first, ...joiners]);
    await dry;
    expect(runs).toBe(3); // the first, one shared follow-up, the dry-run
    expect(new Set(rest).size).toBe(1);
    expect(rest[0]).not.toBe(a);
    expect(admission.active()).toEqual([]);
  });
});
