// The fake must hold Compute's rules, or the runner tests on it prove nothing.
import { randomUUID } from 'node:crypto';
import { GcpError } from '../../functions/gcp/port';
import { desiredChain, refOf } from '../../functions/reconcile/desired';
import { FakePort, demoService, seedDeclared } from './fake-port';

const svc = demoService();

function seeded(): FakePort {
  const port = new FakePort();
  seedDeclared(port, svc);
  return port;
}

async function errorOf(promise: Promise<unknown>): Promise<GcpError> {
  try {
    await promise;
  } catch (error) {
    return error as GcpError;
  }
  throw new Error('expected a rejection');
}

// Compute's rules themselves are checked against the emulator in mesh-port.contract.test.ts;
// here, what only the fake has: its call records and fault injection.
describe('FakePort', () => {
  it('records every write with how it ended', async () => {
    const port = new FakePort();
    const chain = desiredChain(svc);
    expect(await errorOf(port.insert('urlMap', refOf(svc, 'urlMap'), chain.urlMap, randomUUID()))).toMatchObject({
      errorClass: 'permanent',
    });
    const requestId = randomUUID();
    await port.insert('neg', refOf(svc, 'neg'), chain.neg, requestId);
    expect(await errorOf(port.insert('neg', refOf(svc, 'neg'), chain.neg, randomUUID()))).toMatchObject({ errorClass: 'alreadyExists' });
    await port.insert('neg', refOf(svc, 'neg'), chain.neg, requestId);
    expect(port.writes.map((w) => w.result)).toEqual(['permanent', 'ok', 'alreadyExists', 'ok']);
  });

  it('injects errors for matching calls only, the given number of times', async () => {
    const port = seeded();
    port.inject({ call: 'get', kind: 'neg', error: new GcpError('transient', 'busy', 14, 503), times: 2 });
    expect(await port.get('urlMap', refOf(svc, 'urlMap'))).not.toBeNull();
    expect(await errorOf(port.get('neg', refOf(svc, 'neg')))).toMatchObject({ errorClass: 'transient' });
    expect(await errorOf(port.get('neg', refOf(svc, 'neg')))).toMatchObject({ errorClass: 'transient' });
    expect(await port.get('neg', refOf(svc, 'neg'))).not.toBeNull();
    expect(port.calls.map((c) => c.result)).toEqual(['ok', 'transient', 'transient', 'ok']);
  });
});
