import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../../../libs/runtime/src/http/http-client.js';

// A local HTTP server for the vendor APIs: each test scripts the vendor's documented answers.

export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as text. */
  raw: string;
  /** The body parsed as JSON or as a form, when it is one. */
  body: unknown;
}

export type Answer = { status?: number; headers?: Record<string, string>; body?: unknown } | 'drop';
export type Handler = (req: Received) => Answer | Promise<Answer>;

export interface LocalServer {
  baseUrl: string;
  received: Received[];
  to(path: string): Received[];
  close(): Promise<void>;
}

export async function startLocalServer(routes: Record<string, Handler>): Promise<LocalServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
      else {
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          // keep the text
        }
      }
      const call: Received = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, raw, body };
      received.push(call);
      const handler = routes[`${call.method} ${call.path}`] ?? routes['*'];
      const answer: Answer = handler ? await handler(call) : { status: 404, body: { error: 'no route' } };
      if (answer === 'drop') return void res.socket?.destroy();
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    to: (path) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The runtime's real HTTP client: timeouts and the SSRF guard (loopback only with allowPrivateNetwork). */
export const realHttpClient = () => createHttpClient({ defaultTimeoutMs: 5000 });
