// Without credentials (no emulator, no Application Default Credentials, no metadata server) a
// call must fail once, as a GcpError the reconciler can report, and leave nothing behind: the
// generated clients' own `initialize().catch(err => { throw err; })` would otherwise leave an
// unhandled rejection per call, which crashes a function instance.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGcpPort } from './adapter';
import { GcpError } from './port';
import { SELF_PRINCIPAL } from '../../test/support/identity';

test('a call without credentials rejects with a GcpError and leaves no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  const saved = { home: process.env.HOME, adc: process.env.GOOGLE_APPLICATION_CREDENTIALS };
  process.env.HOME = mkdtempSync(join(tmpdir(), 'no-adc-')); // no ~/.config/gcloud ADC file here
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  try {
    const port = createGcpPort({ selfPrincipal: SELF_PRINCIPAL });
    const ref = { project: 'demo-project', region: 'asia-northeast1' };
    for (let i = 0; i < 2; i++) {
      await expect(port.getService({ ...ref, service: 'server-service' })).rejects.toBeInstanceOf(GcpError);
      await expect(port.get('forwardingRule', { ...ref, name: 'internal-lb-frontend' })).rejects.toBeInstanceOf(GcpError);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', record);
    process.env.HOME = saved.home;
    if (saved.adc) process.env.GOOGLE_APPLICATION_CREDENTIALS = saved.adc;
  }
}, 60_000);
