import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { describeNodeContract, InMemorySharedCache, runPollTrigger, VendorApiError } from '@tributary/node-sdk';
import { tencentLead } from '../__fixtures__/tencent.fixtures.js';
import { realHttp, startVendorServer, type SeenRequest, type VendorReply } from '../__fixtures__/vendor-server.js';
import { formatChinaTime, parseVendorTime } from '../shared/china-time.util.js';
import { parseJsonExact } from '../shared/exact-json.util.js';
import type { LeadCursor } from '../shared/window-poll.util.js';
import { tencentadsLeadsTrigger } from './leads.trigger.js';

const now = new Date('2024-06-01T12:00:00Z');
const bj = (iso: string) => formatChinaTime(new Date(iso));

/** A Marketing API: common parameters in the query, a fresh nonce each time, leads filtered by creation time and paged. */
function marketingApi(leads: () => Record<string, unknown>[], validToken: () => string) {
  const nonces = new Set<string>();
  return (req: SeenRequest): VendorReply => {
    if (req.path === '/oauth/token') {
      if (req.query.get('grant_type') !== 'refresh_token' || req.query.get('refresh_token') !== 'rt-1' || req.query.get('client_secret') !== 'cs-1') return { body: { code: 11013, message: 'invalid refresh_token' } };
      return { body: { code: 0, message: '', data: { access_token: 'fresh-token', refresh_token: 'rt-1', access_token_expires_in: 86400, refresh_token_expires_in: 2592000 } } };
    }
    if (req.path !== '/v1.3/lead_clues/get') return { status: 404, body: { code: 404, message: 'no such API' } };
    if (req.query.get('access_token') !== validToken()) return { body: { code: 11000, message: 'access token is invalid', message_cn: 'access_token 无效' } };
    const nonce = req.query.get('nonce')!;
    if (!/^\d{10}$/.test(req.query.get('timestamp') ?? '') || !nonce || nonces.has(nonce)) return { body: { code: 11001, message: 'nonce or timestamp invalid' } };
    nonces.add(nonce);
    const body = parseJsonExact(req.body) as { account_id: unknown; time_range: { start_time: number; end_time: number }; page: number; page_size: number };
    if (body.account_id !== 12345678) return { body: { code: 11002, message: 'account_id invalid' } };
    const rows = leads().filter((l) => {
      const at = parseVendorTime(l.leads_create_time)!.getTime() / 1000;
      return at >= body.time_range.start_time && at <= body.time_range.end_time;
    });
    const slice = rows.slice((body.page - 1) * body.page_size, body.page * body.page_size);
    return { body: { code: 0, message: '', data: { leads_info: slice, page_info: { page: body.page, page_size: body.page_size, total_number: rows.length, total_page: Math.ceil(rows.length / body.page_size) } } } };
  };
}

describe('tencentads.leads against a local Marketing API', () => {
  let server: Awaited<ReturnType<typeof startVendorServer>>;
  let table: Record<string, unknown>[] = [];
  let token = 'static-token';
  let override: ((req: SeenRequest) => VendorReply | undefined) | undefined;
  const http = realHttp();
  beforeAll(async () => {
    const api = marketingApi(() => table, () => token);
    server = await startVendorServer((req) => override?.(req) ?? api(req));
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });
  beforeEach(() => {
    override = undefined;
    token = 'static-token';
    server.seen.length = 0;
  });
  const config = () => ({ connection: 'conn_tx', accountId: '12345678', tencentBaseUrl: `${server.url}/v1.3`, oauthBaseUrl: server.url, allowPrivateNetwork: true, pageSize: 2, initialLookbackHours: 1 });
  const poll = (opts: { cursor?: unknown; at?: Date; secrets?: Record<string, string>; cache?: InMemorySharedCache } = {}) =>
    runPollTrigger(tencentadsLeadsTrigger, { config: config(), secrets: opts.secrets ?? { accessToken: 'static-token' }, http, cursor: opts.cursor, now: opts.at ?? now, cache: opts.cache });

  it('posts lead_clues/get with access_token, timestamp and a fresh nonce, account_id as a number, and pages by total_page', async () => {
    table = [tencentLead('900001', bj('2024-06-01T11:10:00Z')), tencentLead('900002', bj('2024-06-01T11:20:00Z')), tencentLead('900003', bj('2024-06-01T11:30:00Z'))];
    const first = await poll();
    const req = server.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.query.get('timestamp')).toBe(String(now.getTime() / 1000));
    expect(req.body).toContain('"account_id":12345678');
    expect(JSON.parse(req.body)).toMatchObject({ time_range: { start_time: Date.parse('2024-06-01T10:50:00Z') / 1000, end_time: now.getTime() / 1000 }, page: 1, page_size: 2 });
    expect(first.events.map((e) => e.dedupeKey)).toEqual(['900001', '900002']);
    expect(first.hasMore).toBe(true);
    const second = await poll({ cursor: first.next });
    expect(server.seen[1]!.query.get('nonce')).not.toBe(req.query.get('nonce'));
    expect(second.events.map((e) => e.dedupeKey)).toEqual(['900003']);
    expect((second.next as LeadCursor).since).toBe(now.toISOString());
  });

  it('maps a lead: Beijing time to UTC, ids exact beyond 2^53, bundle answers as fields', async () => {
    override = () => ({
      body: JSON.stringify({ code: 0, message: '', data: { leads_info: [tencentLead('__ID__', '2024-06-01 19:10:00')], page_info: { page: 1, page_size: 2, total_number: 1, total_page: 1 } } }).replace('"__ID__"', '9007199254740993123'),
    });
    const { events } = await poll();
    expect(events[0]!.dedupeKey).toBe('9007199254740993123');
    expect(events[0]!.items[0]).toMatchObject({
      eventType: 'lead_ad',
      occurredAt: '2024-06-01T11:10:00.000Z',
      channel: 'tencent_ads',
      utm_source: 'tencent',
      lead_id: '9007199254740993123',
      name: '李四',
      phone: '13812345678',
      email: 'lisi@example.com',
      area: '广东省深圳市',
      wechat: 'lisi_wx',
      advertiser_id: '12345678',
      campaign_id: '3001',
      adgroup_id: '4001',
      creative_id: '5001',
      form_id: '6001',
      landing_url: 'https://h5.gdt.qq.com/page/7001',
      click_id: 'wx0click2j3k4l5m6',
      意向车型: 'SUV',
      预算: '20万',
    });
  });

  it('re-reads the overlap with the same dedupe keys and skips the newest lead already delivered', async () => {
    table = [tencentLead('900001', bj('2024-06-01T11:55:00Z')), tencentLead('900002', bj('2024-06-01T11:58:00Z'))];
    const first = await poll();
    const second = await poll({ cursor: first.next, at: new Date('2024-06-01T12:03:00Z') });
    expect(second.events.map((e) => e.dedupeKey)).toEqual(['900001']);
    expect(second.events[0]!.dedupeKey).toBe(first.events[0]!.dedupeKey);
  });

  it('refreshes the access token with the app credentials once, and shares it through the cache', async () => {
    token = 'fresh-token';
    table = [tencentLead('900001', bj('2024-06-01T11:30:00Z'))];
    const cache = new InMemorySharedCache();
    const secrets = { clientId: '1110001', clientSecret: 'cs-1', refreshToken: 'rt-1' };
    await poll({ secrets, cache });
    await poll({ secrets, cache });
    expect(server.seen.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(server.seen.filter((r) => r.path === '/v1.3/lead_clues/get').every((r) => r.query.get('access_token') === 'fresh-token')).toBe(true);
  });

  it('drops a refreshed token Tencent no longer accepts, so the next poll refreshes it', async () => {
    const cache = new InMemorySharedCache();
    const secrets = { clientId: '1110001', clientSecret: 'cs-1', refreshToken: 'rt-1' };
    token = 'rotated-elsewhere';
    const err = (await poll({ secrets, cache }).catch((e: unknown) => e)) as VendorApiError;
    expect(err.message).toMatch(/code 11000\): access token is invalid \/ access_token 无效/);
    expect(await cache.get('token:tencentads:conn_tx')).toBeUndefined();
  });

  it('never puts the refresh token or client secret in an error', async () => {
    override = (req) => (req.path === '/oauth/token' ? { status: 400, body: { code: 1, message: 'bad' } } : undefined);
    const err = (await poll({ secrets: { clientId: '1110001', clientSecret: 'cs-1', refreshToken: 'rt-1' } }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/refreshing the access token failed \(HTTP 400\)/);
    expect(err.message).not.toMatch(/rt-1|cs-1/);
  });

  it('surfaces a 429 with Retry-After as a VendorApiError with retryAfterMs', async () => {
    override = () => ({ status: 429, headers: { 'retry-after': '60' }, body: { code: 429, message: 'rate limited' } });
    const err = (await poll().catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.retryAfterMs).toBe(60_000);
    expect(err.message).not.toContain('static-token');
  });

  it('keeps the access token out of a network failure’s message', async () => {
    const closed = await startVendorServer(() => ({}));
    await closed.close();
    const err = (await runPollTrigger(tencentadsLeadsTrigger, { config: { ...config(), tencentBaseUrl: `${closed.url}/v1.3` }, secrets: { accessToken: 'static-token' }, http, now }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/failed/);
    expect(err.message).not.toContain('static-token');
  });

  it('backfills from a date', async () => {
    table = [tencentLead('800001', bj('2024-05-31T08:00:00Z'))];
    const cursor = (tencentadsLeadsTrigger.trigger as { backfillCursor: (d: Date, c: unknown) => unknown }).backfillCursor(new Date('2024-05-31T00:00:00Z'), {});
    const r = await poll({ cursor });
    expect(JSON.parse(server.seen[0]!.body).time_range.start_time).toBe(Date.parse('2024-05-30T23:50:00Z') / 1000);
    expect(r.events.map((e) => e.dedupeKey)).toEqual(['800001']);
  });
});

await describeNodeContract(tencentadsLeadsTrigger);
