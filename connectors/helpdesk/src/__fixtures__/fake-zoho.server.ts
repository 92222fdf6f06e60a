// A local stand-in for Zoho accounts (POST /oauth/v2/token, refresh_token grant, errors as
// HTTP 200 {"error": …}) and the Zoho Desk list-tickets API (GET /api/v1/tickets with
// from (1-based), limit, sortBy=-modifiedTime, include=contacts; `Zoho-oauthtoken` and `orgId`
// headers; {"data": […]}, 204 with no body when nothing matches; 401 INVALID_OAUTH).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeZoho {
  url: string;
  tickets: Record<string, unknown>[];
  tokenRequests: URLSearchParams[];
  listRequests: { url: URL; authorization?: string; orgId?: string }[];
  /** Access tokens the API still accepts. */
  validTokens: Set<string>;
  /** Answers list requests this way instead (e.g. a 429), when it returns true. */
  override: ((res: import('node:http').ServerResponse) => boolean) | undefined;
  close(): Promise<void>;
}

export const zohoClient = { clientId: '1000.ABCDEFGHIJ0123456789KLMNOPQRST', clientSecret: 'b1e2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1', refreshToken: '1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210', orgId: '55659446' };

export async function startFakeZoho(): Promise<FakeZoho> {
  let issued = 0;
  const state: FakeZoho = { url: '', tickets: [], tokenRequests: [], listRequests: [], validTokens: new Set(), override: undefined, close: async () => undefined };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/oauth/v2/token') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        state.tokenRequests.push(form);
        const ok = form.get('grant_type') === 'refresh_token' && form.get('client_id') === zohoClient.clientId && form.get('client_secret') === zohoClient.clientSecret && form.get('refresh_token') === zohoClient.refreshToken;
        if (!ok) return json(200, { error: 'invalid_code' });
        const token = `1000.access${++issued}.token`;
        state.validTokens.add(token);
        json(200, { access_token: token, api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 });
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/tickets') {
      const authorization = req.headers.authorization;
      const orgId = req.headers.orgid as string | undefined;
      state.listRequests.push({ url, authorization, orgId });
      if (state.override?.(res)) return;
      const token = authorization?.replace(/^Zoho-oauthtoken /, '');
      if (!token || !state.validTokens.has(token)) return json(401, { errorCode: 'INVALID_OAUTH', message: 'The OAuth Token you provided is invalid.' });
      if (orgId !== zohoClient.orgId) return json(400, { errorCode: 'INVALID_DATA', message: 'orgId is invalid' });
      const from = Number(url.searchParams.get('from') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 10);
      if (from < 1) return json(422, { errorCode: 'UNPROCESSABLE_ENTITY', message: 'from must be at least 1' });
      const sorted = [...state.tickets].sort((a, b) => Date.parse(String(b.modifiedTime)) - Date.parse(String(a.modifiedTime)));
      const page = sorted.slice(from - 1, from - 1 + limit);
      if (page.length === 0) {
        res.writeHead(204);
        return res.end();
      }
      return json(200, { data: url.searchParams.get('include')?.includes('contacts') ? page : page.map(({ contact: _c, ...t }) => t) });
    }
    json(404, { errorCode: 'URL_NOT_FOUND' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
