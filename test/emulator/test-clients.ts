// The real Google client libraries pointed at an emulator, as test/emulator/README.md says (plain HTTP,
// a fixed bearer token that names the principal).
import { OAuth2Client } from 'google-auth-library';
import type { Emulator } from './index';

export function authFor(principal: string): OAuth2Client {
  // Node's own fetch: gaxios would otherwise dynamic-import node-fetch, which jest's VM refuses.
  const client = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
  client.setCredentials({ access_token: `principal:${principal}` });
  return client;
}

export function clientOptions(emulator: Emulator, principal = 'robot@demo-project.iam.gserviceaccount.com') {
  return { apiEndpoint: '127.0.0.1', port: emulator.port, protocol: 'http', authClient: authFor(principal) } as const;
}
