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
  // Answered at once: the window then counts grants.
  await Promise.all(
    Array.from({ length: 17 }, () =>
      limiter.acquire().then((answered) => {
        grants.push(clock);
        answered();
      }),
    ),
  );
  expect(grants).toHaveLength(17);
  expect(grants).toEqual([...grants].sort((a, b) => a - b));
  for (const t of grants) {
    expect(grants.filter((g) => g > t - 1000 && g <= t).length).toBeLessThanOrEqual(5);
  }
  for (let i = 1; i < grants.length; i++) expect((grants[i] as number) - (grants[i - 1] as number)).toBeGreaterThanOrEqual(200);
  // 17 grants at 5 per second, 200 ms apart: the last at 16 × 200 ms, no later.
  expect(clock).toBe(3200);
});

test('however late requests leave or answers come, no window can hold one request more than the limit', async () => {
  // Google counts a request when it arrives: anywhere between its grant and its answer. Here each
  // request takes a random 0-40 ms, against a 100 ms window paced 20 ms apart: counting grants
  // alone would let a slow request and the next five fast ones land in one window.
  const windowMs = 100;
  const limit = 5;
  const limiter = createRateLimiter(limit, { windowMs });
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 40;
  const spans: Array<{ granted: number; answered: number }> = [];
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      const answered = await limiter.acquire();
      const granted = performance.now();
      await new Promise((resolve) => setTimeout(resolve, random()));
      spans.push({ granted, answered: performance.now() });
      answered();
    }),
  );
  // The worst placement of arrivals: every request whose span meets a window counted in it.
  const worst = Math.max(
    ...spans.map(({ answered: start }) => spans.filter((s) => s.answered >= start && s.granted < start + windowMs).length),
  );
  expect(worst).toBeLessThanOrEqual(limit);
});
