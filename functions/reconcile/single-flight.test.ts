import { SingleFlight } from './single-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs once, then once more for everything that arrived meanwhile', async () => {
    const flights = new SingleFlight<number>();
    const first = deferred<number>();
    let runs = 0;
    const task = () => (++runs === 1 ? first.promise : Promise.resolve(runs));
    const calls = Array.from({ length: 100 }, () => flights.run('k', task));
    await Promise.resolve();
    expect(runs).toBe(1);
    first.resolve(1);
    const results = await Promise.all(calls);
    expect(runs).toBe(2);
    expect(results[0]).toBe(1);
    expect(new Set(results.slice(1))).toEqual(new Set([2]));
    expect(flights.active()).toEqual([]);
  });

  it('keeps keys apart and runs the follow-up even when the first run fails', async () => {
    const flights = new SingleFlight<string>();
    const first = deferred<string>();
    const a1 = flights.run('a', () => first.promise);
    const a2 = flights.run('a', async () => 'second');
    const b = flights.run('b', async () => 'b');
    await expect(b).resolves.toBe('b');
    first.reject(new Error('first failed'));
    await expect(a1).rejects.toThrow('first failed');
    await expect(a2).resolves.toBe('second');
  });

  it('starts afresh once idle', async () => {
    const flights = new SingleFlight<number>();
    await flights.run('k', async () => 1);
    await expect(flights.run('k', async () => 2)).resolves.toBe(2);
  });
});
