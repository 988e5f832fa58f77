import { Clients, parseHostPort } from './clients';
import { GcpError } from './port';

describe('parseHostPort', () => {
  it('reads host:port, an IPv6 [host]:port, and tolerates an http:// prefix', () => {
    expect(parseHostPort('X', '127.0.0.1:8085')).toEqual({ host: '127.0.0.1', port: 8085 });
    expect(parseHostPort('X', '[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseHostPort('X', 'http://localhost:80')).toEqual({ host: 'localhost', port: 80 });
  });

  it('rejects anything else with a permanent error naming the variable and the value', () => {
    for (const bad of ['localhost', '127.0.0.1:', ':8080', '127.0.0.1:99999', 'a:b']) {
      const error = (() => {
        try {
          parseHostPort('COMPUTE_EMULATOR_HOST', bad);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(GcpError);
      expect(error).toMatchObject({ errorClass: 'permanent', message: `COMPUTE_EMULATOR_HOST must be host:port (plain HTTP), got "${bad}"` });
    }
  });
});

describe('Clients', () => {
  const clients = new Clients({ CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:1', COMPUTE_EMULATOR_HOST: '127.0.0.1:2' }, 'me@example.com');
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
    const fresh = new Clients({ CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:1', COMPUTE_EMULATOR_HOST: '127.0.0.1:2' }, 'me@example.com');
    await fresh.warm();
    expect(fresh.names().filter((n) => n !== 'emulatorAuth').sort()).toEqual(
      ['address', 'backendService', 'forwardingRule', 'neg', 'operations', 'run', 'targetProxy', 'urlMap'],
    );
    await fresh.close();
  });

  it('a malformed emulator host fails the first call that needs it, clearly', () => {
    const broken = new Clients({ COMPUTE_EMULATOR_HOST: 'nowhere' }, 'me@example.com');
    expect(() => broken.compute('address')).toThrow('COMPUTE_EMULATOR_HOST must be host:port (plain HTTP), got "nowhere"');
  });
});
