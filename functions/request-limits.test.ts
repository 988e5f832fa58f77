// The request gates over the function's limiters (fake clocks: a test waits no real minute).
import { quotaGate, rateGate } from './request-limits';
import { ProjectQuotas } from './project-quotas';
import { createRateLimiter } from './rate-limit';
import { fakeClock } from '../test/support/fake-clock';

describe('quotaGate: each request takes a unit of its group, in its project', () => {
  const read = (project: string) => ({ group: 'compute.read' as const, project, region: 'asia-northeast1' });

  it('counts per project: one project out of quota does not hold another back', async () => {
    const clock = fakeClock(0);
    const gate = quotaGate(new ProjectQuotas({ 'compute.read': 1 }, clock));
    (await gate.admit(read('a')))();
    (await gate.admit(read('b')))();
    expect(clock.at()).toBe(0);
    (await gate.admit(read('a')))();
    expect(clock.at()).toBe(60_000);
  });

  it('after a refusal for rate, the next request of that project and group waits for the next window; other groups do not', async () => {
    const clock = fakeClock(10_000);
    const gate = quotaGate(new ProjectQuotas({}, clock));
    (await gate.admit(read('a')))();
    gate.refused(read('a'));
    (await gate.admit({ group: 'compute.list', project: 'a', region: 'asia-northeast1' }))();
    (await gate.admit(read('b')))();
    expect(clock.at()).toBe(10_000);
    (await gate.admit(read('a')))();
    expect(clock.at()).toBe(60_000);
  });

  it("keeps Cloud Run's quotas per project and region", async () => {
    const clock = fakeClock(0);
    const gate = quotaGate(new ProjectQuotas({ 'run.read': 1 }, clock));
    (await gate.admit({ group: 'run.read', project: 'a', region: 'asia-northeast1' }))();
    (await gate.admit({ group: 'run.read', project: 'a', region: 'europe-west1' }))();
    expect(clock.at()).toBe(0);
    (await gate.admit({ group: 'run.read', project: 'a', region: 'asia-northeast1' }))();
    expect(clock.at()).toBe(60_000);
  });
});

describe('rateGate: a per-second cap per API', () => {
  it("counts Cloud Run's groups against the run limiter and Compute's against the compute limiter", async () => {
    const clock = fakeClock(0);
    const gate = rateGate({ run: createRateLimiter(1, clock), compute: createRateLimiter(1, clock) });
    (await gate.admit({ group: 'compute.list', project: 'a', region: 'r' }))();
    (await gate.admit({ group: 'run.read', project: 'a', region: 'r' }))();
    expect(clock.at()).toBe(0);
    // A second Compute request, of another group and project: the same API, so the next second.
    (await gate.admit({ group: 'compute.operationRead', project: 'b', region: 'r' }))();
    expect(clock.at()).toBe(1000);
  });
});
