import * as domain from 'node:domain';
import { outsideRequestDomain } from './outside-request-domain';

const activeDomain = () => (process as { domain?: domain.Domain | null }).domain ?? undefined;

describe('outsideRequestDomain', () => {
  it("runs the work and what it awaits outside the caller's domain, and gives the caller its domain back", async () => {
    const request = domain.create();
    const seen = await new Promise<{ before?: domain.Domain; during: Array<domain.Domain | undefined>; after?: domain.Domain }>(
      (resolve, reject) =>
        request.run(() => {
          const before = activeDomain();
          const during: Array<domain.Domain | undefined> = [];
          outsideRequestDomain(async () => {
            during.push(activeDomain());
            await new Promise((done) => setTimeout(done, 1));
            during.push(activeDomain());
            return during;
          }).then(() => resolve({ before, during, after: activeDomain() }), reject);
        }),
    );
    expect(seen.before).toBe(request);
    expect(seen.during).toEqual([undefined, undefined]);
    expect(seen.after).toBe(request);
  });

  it("hands the work's rejection to the caller", async () => {
    await expect(outsideRequestDomain(() => Promise.reject(new Error('shard failed')))).rejects.toThrow('shard failed');
  });
});
