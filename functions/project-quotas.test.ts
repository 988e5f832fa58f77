import { DEFAULT_QUOTAS, parseQuotaLimits } from './project-quotas';
import { createWindowQuota } from './rate-limit';
import { fakeClock } from '../test/support/fake-clock';

describe('window quotas (per minute, aligned to the clock)', () => {
  it('grants `limit` per window and the next only at the boundary, not a minute after', async () => {
    const clock = fakeClock(90_000); // 30 s into a minute
    const quota = createWindowQuota(2, clock);
    (await quota.acquire())();
    (await quota.acquire())();
    expect(clock.at()).toBe(90_000);
    await quota.acquire();
    expect(clock.at()).toBe(120_000);
  });

  it('a request unanswered when a window opens counts in it too (Google may count it there)', async () => {
    const clock = fakeClock(119_000);
    const quota = createWindowQuota(2, clock);
    const slow = await quota.acquire();
    (await quota.acquire())();
    await clock.sleep(1500); // the next minute; the first request is still on its way
    await quota.acquire();
    slow();
    expect(clock.at()).toBe(120_500);
    await quota.acquire();
    // The first request took a place in this window: the fourth waits for the next one.
    expect(clock.at()).toBe(180_000);
  });

  it('a refusal closes the window until the next boundary', async () => {
    const clock = fakeClock(125_000);
    const quota = createWindowQuota(100, clock);
    await quota.acquire();
    quota.refused();
    await quota.acquire();
    expect(clock.at()).toBe(180_000);
  });
});

describe('parseQuotaLimits', () => {
  it("starts from Compute's documented defaults and takes overrides", () => {
    expect(parseQuotaLimits(undefined)).toEqual(DEFAULT_QUOTAS);
    expect(parseQuotaLimits('compute.read=3000, run.read=600')).toMatchObject({
      'compute.read': 3000,
      'run.read': 600,
      'compute.list': 1500,
    });
  });

  it('names a bad entry', () => {
    expect(() => parseQuotaLimits('compute.reads=10')).toThrow(/"compute.reads=10" is not GROUP=N/);
    expect(() => parseQuotaLimits('compute.read=0')).toThrow(/API_QUOTAS_PER_MINUTE/);
  });
});
