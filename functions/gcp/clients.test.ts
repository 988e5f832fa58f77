import { Clients } from './clients';

const EMULATORS = {
  cloudRunEmulator: { host: '127.0.0.1', port: 1, variable: 'CLOUD_RUN_EMULATOR_HOST' },
  computeEmulator: { host: '127.0.0.1', port: 2, variable: 'COMPUTE_EMULATOR_HOST' },
};

describe('Clients', () => {
  const clients = new Clients(EMULATORS, 'me@example.com');
  afterAll(() => clients.close());

  it('creates each client once, on demand', async () => {
    expect(clients.names()).toEqual([]);
    const first = await clients.compute('urlMap');
    expect(await clients.compute('urlMap')).toBe(first);
    expect(clients.names().sort()).toEqual(['emulatorAuth', 'urlMap']);
  });

  it('in emulator mode authenticates with the fixed principal token, never Google auth', async () => {
    const run = (await clients.run()) as unknown as { auth: { getAccessToken(): Promise<{ token?: string | null }> } };
    const compute = (await clients.compute('forwardingRule')) as unknown as { auth: unknown };
    expect((await run.auth.getAccessToken()).token).toBe('principal:me@example.com');
    expect(compute.auth).toBe(run.auth);
  });

  it('gives all compute clients one protobuf Root (the 12 MB protos.json is not rebuilt per client)', async () => {
    // _protos is the protobuf Root each gax client builds from its protos.json.
    const kinds = ['address', 'neg', 'operations'] as const;
    const roots = await Promise.all(kinds.map(async (kind) => ((await clients.compute(kind)) as unknown as { _protos: object })._protos));
    expect(roots[1]).toBe(roots[0]);
    expect(roots[2]).toBe(roots[0]);
  });

  it('warm() loads and initializes every client before any request', async () => {
    const fresh = new Clients(EMULATORS, 'me@example.com');
    await fresh.warm();
    expect(
      fresh
        .names()
        .filter((n) => n !== 'emulatorAuth')
        .sort(),
    ).toEqual(['address', 'backendService', 'forwardingRule', 'neg', 'operations', 'run', 'targetProxy', 'urlMap']);
    await fresh.close();
  });
});
