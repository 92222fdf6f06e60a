import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../../../libs/runtime/src/http/http-client.js';

/** A request as the fake vendor saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface VendorReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is (JSON content type unless headers say otherwise); anything else as JSON. */
  body?: unknown;
}

/**
 * A vendor API on 127.0.0.1 (port 0) for tests: `handle` answers each request in the
 * vendor's documented format, `seen` records what our code sent.
 */
export async function startVendorServer(handle: (req: SeenRequest) => VendorReply | Promise<VendorReply>): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const r: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      try {
        const reply = await handle(r);
        const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(body);
      } catch (err) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The runtime's real HTTP client (SSRF guard included: tests opt in with allowPrivateNetwork). */
export const realHttp = () => createHttpClient({ defaultTimeoutMs: 5000 });
