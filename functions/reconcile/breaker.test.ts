import { Breaker } from './breaker';

describe('Breaker', () => {
  it('opens after maxRepairs repairs inside the window and closes as the window slides', () => {
    let t = 0;
    const breaker = new Breaker({ maxRepairs: 2, windowSec: 100 }, () => new Date(t));
    breaker.record('a');
    t = 50_000;
    expect(breaker.isOpen('a')).toBe(false);
    breaker.record('a');
    expect(breaker.isOpen('a')).toBe(true);
    expect(breaker.isOpen('b')).toBe(false);
    t = 100_001; // the first repair has left the window
    expect(breaker.isOpen('a')).toBe(false);
    expect(breaker.recent('a')).toEqual([50_000]);
  });
});
