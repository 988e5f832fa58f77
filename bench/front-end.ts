// A stand-in for Cloud Run's front end in the fan-out bench: one HTTP endpoint (what a push
// subscription is given) in front of several function processes (instances). Each request goes
// to the instance with the fewest requests in flight, as Cloud Run routes to instances with free
// concurrency; ties go round the instances in turn. It decides nothing else: which shard runs
// where, retries and acknowledgement stay with Pub/Sub and the function.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FrontEnd {
  url: string;
  /** requests each instance was given, by its port */
  served: Map<number, number>;
  /** every request: the instance it went to, when it arrived and when its answer ended (performance.now()) */
  deliveries: Delivery[];
  close(): Promise<void>;
}

export interface Delivery {
  port: number;
  receivedAt: number;
  answeredAt?: number;
  status?: number;
}

export async function startFrontEnd(instancePorts: readonly number[]): Promise<FrontEnd> {
  const inFlight = new Map(instancePorts.map((port) => [port, 0]));
  const served = new Map(instancePorts.map((port) => [port, 0]));
  const deliveries: Delivery[] = [];
  let turn = 0;
  const pick = (): number => {
    const least = Math.min(...inFlight.values());
    const free = instancePorts.filter((port) => inFlight.get(port) === least);
    return free[turn++ % free.length] as number;
  };
  const server: Server = createServer((req, res) => {
    const port = pick();
    const delivery: Delivery = { port, receivedAt: performance.now() };
    deliveries.push(delivery);
    inFlight.set(port, (inFlight.get(port) ?? 0) + 1);
    served.set(port, (served.get(port) ?? 0) + 1);
    const done = () => {
      delivery.answeredAt = performance.now();
      inFlight.set(port, (inFlight.get(port) ?? 1) - 1);
    };
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      delivery.status = answer.statusCode ?? 502;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', done);
    });
    upstream.on('error', (err) => {
      done();
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
