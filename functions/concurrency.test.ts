import { mapConcurrent } from './concurrency';

test('keeps at most `limit` in flight and the input order', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapConcurrent([5, 1, 4, 2, 3, 0], 2, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, n));
    inFlight--;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30, 0]);
  expect(peak).toBe(2);
});

test('an empty list does no work', async () => {
  expect(await mapConcurrent([], 4, async () => 1)).toEqual([]);
});
