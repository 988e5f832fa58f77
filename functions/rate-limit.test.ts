import { createRateLimiter } from './rate-limit';

test('never grants more than the limit inside any window, paced evenly, in order', async () => {
  let clock = 0;
  const limiter = createRateLimiter(5, {
    windowMs: 1000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  const grants: number[] = [];
  await Promise.all(Array.from({ length: 17 }, () => limiter.acquire().then(() => grants.push(clock))));
  expect(grants).toHaveLength(17);
  expect(grants).toEqual([...grants].sort((a, b) => a - b));
  for (const t of grants) {
    expect(grants.filter((g) => g > t - 1000 && g <= t).length).toBeLessThanOrEqual(5);
  }
  for (let i = 1; i < grants.length; i++) expect((grants[i] as number) - (grants[i - 1] as number)).toBeGreaterThanOrEqual(200);
  // 17 grants at 5 per second, 200 ms apart: the last at 16 × 200 ms, no later.
  expect(clock).toBe(3200);
});
