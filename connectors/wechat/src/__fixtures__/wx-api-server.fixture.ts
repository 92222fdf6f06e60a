import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../../../libs/runtime/src/http/http-client.js';

// A local stand-in for api.weixin.qq.com and qyapi.weixin.qq.com that speaks their documented
// JSON: HTTP 200 with {errcode, errmsg}, tokens as {access_token, expires_in}.

export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export type Route = (call: ApiCall) => { status?: number; body: unknown; contentType?: string };

export interface FakeApi {
  baseUrl: string;
  calls: ApiCall[];
  /** Calls to one path. */
  callsTo(path: string): ApiCall[];
  close(): Promise<void>;
}

export async function startFakeApi(routes: Record<string, Route>): Promise<FakeApi> {
  const calls: ApiCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      const call: ApiCall = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body };
      calls.push(call);
      const route = routes[`${call.method} ${call.path}`];
      // WeChat answers unknown paths with errcode 48001 (api unauthorized) in a 200, like everything else.
      const answer = route ? route(call) : { body: { errcode: 48001, errmsg: `api unauthorized rid: test` } };
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json; charset=utf-8' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (path) => calls.filter((c) => c.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of the client would hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** The runtime's real HTTP client (timeouts, SSRF guard: loopback only with allowPrivateNetwork). */
export const realHttpClient = () => createHttpClient({ defaultTimeoutMs: 5000 });
