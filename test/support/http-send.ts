// One HTTP request to a local server, byte for byte (raw node:http: the body goes out as given,
// with its exact length), for the function processes the tests, demo and bench start.
import { request, type Agent } from 'node:http';

export interface HttpRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Rejects when the connection fails (ECONNREFUSED while a process starts). */
export function httpSend(port: number, req: HttpRequest, agent?: Agent): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body ?? '';
    const r = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method ?? 'POST',
        path: req.path ?? '/',
        headers: { ...req.headers, 'content-length': Buffer.byteLength(body) },
        ...(agent ? { agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}
