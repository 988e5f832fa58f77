import { OperationDedupe } from './operation-dedupe';
import { SKIP_REASONS, SkipCounters } from './skip-counters';

describe('OperationDedupe', () => {
  it('reports a key seen before, once recorded', () => {
    const dedupe = new OperationDedupe();
    expect(dedupe.seenBefore('op-1/last')).toBe(false);
    expect(dedupe.seenBefore('op-1/last')).toBe(true);
    expect(dedupe.seenBefore('op-1/first')).toBe(false);
    expect(dedupe.size).toBe(2);
  });

  it('stays bounded, dropping the least recently seen key first', () => {
    const dedupe = new OperationDedupe(3);
    for (const key of ['a', 'b', 'c']) dedupe.seenBefore(key);
    expect(dedupe.seenBefore('a')).toBe(true); // refreshes a: b is now the oldest
    expect(dedupe.seenBefore('d')).toBe(false); // evicts b
    expect(dedupe.size).toBe(3);
    expect(dedupe.seenBefore('a')).toBe(true);
    expect(dedupe.seenBefore('c')).toBe(true);
    expect(dedupe.seenBefore('b')).toBe(false);
  });

  it('forgets a key on request', () => {
    const dedupe = new OperationDedupe();
    dedupe.seenBefore('x');
    dedupe.forget('x');
    expect(dedupe.seenBefore('x')).toBe(false);
  });

  it('rejects a capacity below one', () => {
    expect(() => new OperationDedupe(0)).toThrow('OperationDedupe capacity must be >= 1, got 0');
  });
});

describe('SkipCounters', () => {
  it('starts every reason at zero and counts each separately; snapshots are copies', () => {
    const counters = new SkipCounters();
    expect(Object.values(counters.snapshot())).toEqual(SKIP_REASONS.map(() => 0));
    counters.count('not-declared');
    counters.count('not-declared');
    counters.count('malformed');
    const snapshot = counters.snapshot();
    expect(snapshot).toMatchObject({ 'not-declared': 2, malformed: 1, 'failed-call': 0 });
    snapshot.malformed = 99;
    expect(counters.snapshot().malformed).toBe(1);
  });
});
