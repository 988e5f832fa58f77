// go-plugin's handshake, both sides: the host (Terraform) starts a plugin with the magic cookie in
// its environment, and the plugin answers with one line on stdout, CORE|APP|NETWORK|ADDRESS|PROTOCOL.
// Its own module so the test side can start the stand-in without loading gRPC.

/** go-plugin's handshake cookie for Terraform providers (a provider refuses to start without it). */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const CORE_PROTOCOL_VERSION = 1;
/** tfplugin6 */
const APP_PROTOCOL_VERSION = 6;

export interface Handshake {
  appProtocolVersion: number;
  network: string;
  address: string;
  protocol: string;
}

/** The line a gRPC plugin listening on `address` (TCP) prints. */
export function handshakeLine(address: string): string {
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|${address}|grpc\n`;
}

export function parseHandshake(line: string): Handshake {
  const [core, app, network, address, protocol] = line.trim().split('|');
  if (Number(core) !== CORE_PROTOCOL_VERSION || !app || !network || !address || protocol !== 'grpc')
    throw new Error(`not a go-plugin gRPC handshake: ${JSON.stringify(line)}`);
  return { appProtocolVersion: Number(app), network, address, protocol };
}
