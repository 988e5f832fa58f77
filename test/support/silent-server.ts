// An endpoint that accepts connections and never answers (a hung server, a firewall that drops).
// close() also destroys the connections it accepted: a socket nobody reads never sees the caller's
// end, so it would stay open and keep the jest worker from exiting.
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface SilentServer {
  /** 127.0.0.1:port */
  host: string;
  port: number;
  close(): void;
}

export async function startSilentServer(): Promise<SilentServer> {
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    port,
    close() {
      server.close();
      for (const socket of connections) socket.destroy();
    },
  };
}
