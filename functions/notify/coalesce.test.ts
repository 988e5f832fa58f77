import { createCoalescer } from './coalesce';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(windowMs: number, now?: () => number) {
  const batches: string[][] = [];
  const errors: unknown[] = [];
  const coalescer = createCoalescer<string>({
    windowMs,
    now,
    deliver: async (batch) => {
      if (batch.includes('boom')) throw new Error('delivery failed');
      batches.push(batch);
    },
    onError: (err) => errors.push(err),
  });
  return { coalescer, batches, errors };
}

test('items inside one window become one batch, delivered when the window closes', async () => {
  // The window is judged by the injected clock, so a busy machine cannot split it.
  let clock = 0;
  const { coalescer, batches } = recorder(200, () => clock);
  coalescer.add('a');
  clock = 50;
  coalescer.add('b');
  coalescer.add('c');
  expect(batches).toEqual([]);
  await coalescer.flush();
  expect(batches).toEqual([['a', 'b', 'c']]);
});

test('flush waits for the open window and its delivery; an empty flush returns at once', async () => {
  const { coalescer, batches } = recorder(150);
  // Nothing open: flush resolves without waiting for any window (a generous bound, not a timing claim).
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('waited'), 5000)));
  await expect(Promise.race([coalescer.flush().then(() => 'flushed'), late])).resolves.toBe('flushed');
  clearTimeout(timer);
  const started = Date.now();
  coalescer.add('a');
  await coalescer.flush();
  expect(batches).toEqual([['a']]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});

test('items spaced wider than the window go separately, in order', async () => {
  const { coalescer, batches } = recorder(50);
  coalescer.add('a');
  await wait(100);
  coalescer.add('b');
  await coalescer.flush();
  expect(batches).toEqual([['a'], ['b']]);
});

test('a late timer does not stretch the window: the clock decides', async () => {
  let clock = 0;
  const { coalescer, batches } = recorder(1000, () => clock);
  coalescer.add('a');
  clock = 999;
  coalescer.add('b');
  clock = 1000; // the timer has not fired (real time barely moved), but the window is over
  coalescer.add('c');
  await coalescer.flush();
  expect(batches).toEqual([['a', 'b'], ['c']]);
});

test('a failed delivery is reported and the next batch still goes out', async () => {
  const { coalescer, batches, errors } = recorder(20);
  coalescer.add('boom');
  await coalescer.flush();
  coalescer.add('after');
  await coalescer.flush();
  expect(errors).toEqual([new Error('delivery failed')]);
  expect(batches).toEqual([['after']]);
});

test('deliveries run one at a time', async () => {
  let running = 0;
  let most = 0;
  let delivered = 0;
  const coalescer = createCoalescer<number>({
    windowMs: 5,
    deliver: async () => {
      running++;
      most = Math.max(most, running);
      await wait(30);
      running--;
      delivered++;
    },
    onError: () => undefined,
  });
  for (let i = 0; i < 3; i++) {
    coalescer.add(i);
    await wait(10);
  }
  await coalescer.flush();
  expect(delivered).toBe(3);
  expect(most).toBe(1);
});
