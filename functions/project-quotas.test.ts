import { GcpError } from './gcp/port';
import { quotaPort } from './limited-port';
import { DEFAULT_QUOTAS, ProjectQuotas, parseQuotaLimits } from './project-quotas';
import { createWindowQuota } from './rate-limit';
import { FakePort, demoService, seedDeclared } from '../test/support/fake-port';
import { refOf } from './reconcile/desired';

/** A clock that only moves when someone sleeps. */
function fakeClock(start = 90_000) {
  let t = start;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (slept.push(ms), (t += ms)), slept, at: () => t };
}

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

describe('quotaPort', () => {
  it('counts per project: one project out of quota does not hold another back', async () => {
    const clock = fakeClock(0);
    const port = new FakePort();
    const a = demoService();
    const b = { ...demoService(), project: 'other-project', key: 'other-project/asia-northeast1/server-service' };
    seedDeclared(port, a);
    const limited = quotaPort(port, new ProjectQuotas({ 'compute.read': 1 }, clock));
    await limited.get('address', refOf(a, 'address'));
    await limited.get('address', refOf(b, 'address'));
    expect(clock.at()).toBe(0);
    await limited.get('address', refOf(a, 'address'));
    expect(clock.at()).toBe(60_000);
  });

  it('after 403 rateLimitExceeded, the next call of that project and group waits for the next window', async () => {
    const clock = fakeClock(10_000);
    const port = new FakePort();
    const svc = demoService();
    seedDeclared(port, svc);
    port.inject({ call: 'get', error: new GcpError('transient', 'Quota exceeded', 7, 403, 'rateLimitExceeded') });
    const limited = quotaPort(port, new ProjectQuotas({}, clock));
    await expect(limited.get('neg', refOf(svc, 'neg'))).rejects.toMatchObject({ reason: 'rateLimitExceeded' });
    expect(clock.at()).toBe(10_000);
    await expect(limited.listServices({ project: svc.project, region: svc.region })).resolves.toHaveLength(1);
    expect(clock.at()).toBe(10_000);
    await expect(limited.get('neg', refOf(svc, 'neg'))).resolves.toMatchObject({ name: svc.loadBalancer.names.neg });
    expect(clock.at()).toBe(60_000);
  });

  it('after a 429, likewise', async () => {
    const clock = fakeClock(0);
    const port = new FakePort();
    const svc = demoService();
    seedDeclared(port, svc);
    port.inject({ call: 'get', error: new GcpError('transient', 'Too many requests', 8, 429) });
    const limited = quotaPort(port, new ProjectQuotas({}, clock));
    await expect(limited.get('neg', refOf(svc, 'neg'))).rejects.toMatchObject({ httpStatus: 429 });
    await limited.get('neg', refOf(svc, 'neg'));
    expect(clock.at()).toBe(60_000);
  });

  it('does not wait on other errors', async () => {
    const clock = fakeClock(0);
    const port = new FakePort();
    const svc = demoService();
    seedDeclared(port, svc);
    port.inject({ call: 'get', error: new GcpError('permanent', 'denied', 7, 403, 'forbidden') });
    const limited = quotaPort(port, new ProjectQuotas({}, clock));
    await expect(limited.get('neg', refOf(svc, 'neg'))).rejects.toMatchObject({ reason: 'forbidden' });
    expect(clock.slept).toEqual([]);
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
