// A local stand-in for the Freshdesk v2 API, speaking its documented list-tickets format:
// GET /api/v2/tickets?updated_since&order_by&order_type&include=requester&per_page&page,
// HTTP Basic with `apikey:X`, a Link rel="next" header while pages remain, X-Ratelimit-* headers,
// 429 with Retry-After, and errors as {"code","message"}.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FreshdeskTicket {
  id: number;
  subject: string;
  status: number;
  priority: number;
  source: number;
  requester_id: number;
  created_at: string;
  updated_at: string;
  requester: { id: number; name: string; email: string | null; mobile: string | null; phone: string | null };
  [k: string]: unknown;
}

export interface FakeFreshdesk {
  url: string;
  tickets: FreshdeskTicket[];
  requests: { url: URL; authorization?: string }[];
  /** Answers the next request(s) this way instead of the list. */
  override: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  rateLimitRemaining: number;
  close(): Promise<void>;
}

export function freshdeskTicket(id: number, createdAt: string, updatedAt: string, over: Partial<FreshdeskTicket> = {}): FreshdeskTicket {
  return {
    cc_emails: [],
    fwd_emails: [],
    reply_cc_emails: [],
    fr_escalated: false,
    spam: false,
    email_config_id: null,
    group_id: 43000123456,
    priority: 1,
    requester_id: 43012345678,
    responder_id: null,
    source: 2,
    company_id: null,
    status: 2,
    subject: `Ticket ${id}`,
    to_emails: null,
    product_id: null,
    id,
    type: 'Question',
    due_by: '2026-03-04T08:00:00Z',
    fr_due_by: '2026-03-02T08:00:00Z',
    is_escalated: false,
    custom_fields: {},
    created_at: createdAt,
    updated_at: updatedAt,
    tags: [],
    requester: { id: 43012345678, name: `Customer ${id}`, email: `customer${id}@example.com`, mobile: null, phone: '+86 21 5555 0000' },
    ...over,
  };
}

export async function startFakeFreshdesk(apiKey: string, tickets: FreshdeskTicket[] = []): Promise<FakeFreshdesk> {
  const expectedAuth = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
  const state: FakeFreshdesk = {
    url: '',
    tickets,
    requests: [],
    override: undefined,
    rateLimitRemaining: 4000,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    state.requests.push({ url, authorization: req.headers.authorization });
    if (state.override?.(req, res)) return;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-total': '4000', 'x-ratelimit-remaining': String(state.rateLimitRemaining), 'x-ratelimit-used-currentrequest': '1', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== expectedAuth) return json(401, { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' });
    if (url.pathname !== '/api/v2/tickets') return json(404, { code: 'not_found', message: 'no route' });
    const since = url.searchParams.get('updated_since');
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    if (url.searchParams.get('order_by') !== 'updated_at' || url.searchParams.get('order_type') !== 'asc') return json(400, { description: 'Validation failed', errors: [{ field: 'order_by', code: 'invalid_value' }] });
    const sinceMs = since ? Date.parse(since) : 0;
    const matching = state.tickets
      .filter((t) => Date.parse(t.updated_at) >= sinceMs)
      .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.id - b.id)
      .map((t) => {
        if (url.searchParams.get('include') === 'requester') return t;
        const { requester: _omit, ...rest } = t;
        return rest;
      });
    const slice = matching.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < matching.length) {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(page + 1));
      headers.link = `<https://yourcompany.freshdesk.com${next.pathname}${next.search}>; rel="next"`;
    }
    state.rateLimitRemaining = Math.max(0, state.rateLimitRemaining - 1);
    json(200, slice, headers);
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
