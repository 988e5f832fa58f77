import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { evalArgs } from '../../test/support/function-code';
import { requireClientModule } from './gax-import';

const ROOT = join(__dirname, '..', '..');

async function inPlainNode(script: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, evalArgs(script), {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
  });
  return JSON.parse(stdout);
}

describe('requireClientModule', () => {
  it('gives the client module (in Jest, whose registry loads the real google-gax for it)', () => {
    const { ServicesClient } = requireClientModule<{ ServicesClient: unknown }>('@google-cloud/run/build/src/v2/services_client');
    expect(typeof ServicesClient).toBe('function');
  });
});

describe('in a plain Node process (the built function)', () => {
  // Jest's module registry ignores writes to require.cache, so the stand-in is checked where it
  // runs in production: a Node process loading clients.ts.
  it('every client (8 and their auth) loads and initializes without gRPC, and a later require of google-gax gets the real entry', async () => {
    const script = `
      const { Clients } = require('./functions/gcp/clients');
      const { parseEnvironment } = require('./functions/config/environment');
      const environment = parseEnvironment({ COMPUTE_EMULATOR_HOST: '127.0.0.1:1', CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:2' }).environment;
      const clients = new Clients(environment, 'me@example.com');
      clients.warm().then(async () => {
        const loaded = Object.keys(require.cache);
        const grpcLoaded = loaded.some((id) => id.includes('/@grpc/'));
        const gaxMainLoaded = loaded.includes(require.resolve('google-gax'));
        const made = clients.names().length;
        const gax = require('google-gax');
        await clients.close();
        process.stdout.write(JSON.stringify({ clients: made, grpcLoaded, gaxMainLoaded, realEntryLater: typeof gax.grpc.credentials }));
      });`;
    expect(await inPlainNode(script)).toEqual({ clients: 9, grpcLoaded: false, gaxMainLoaded: false, realEntryLater: 'object' });
  });

  it('the stand-in answers loggingUtils with google-gax’s own module and every other read from the real entry', async () => {
    const script = `
      const { gaxStandIn } = require('./functions/gcp/gax-import');
      const id = require.resolve('google-gax');
      const standIn = gaxStandIn(id);
      const before = Boolean(require.cache[id]);
      const logging = standIn.loggingUtils;
      const afterLogging = Boolean(require.cache[id]);
      const gax = require('google-gax');
      process.stdout.write(JSON.stringify({
        before, afterLogging,
        loggingUtils: logging === gax.loggingUtils,
        decodeAnyProtosInArray: standIn.decodeAnyProtosInArray === gax.decodeAnyProtosInArray,
        GoogleError: standIn.GoogleError === gax.GoogleError,
        has: 'GrpcClient' in standIn,
      }));`;
    expect(await inPlainNode(script)).toEqual({
      before: false,
      afterLogging: false,
      loggingUtils: true,
      decodeAnyProtosInArray: true,
      GoogleError: true,
      has: true,
    });
  });
});
