import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { describeNodeContract, runPollTrigger, VendorApiError, type PollTrigger } from '@tributary/node-sdk';
import { accessToken, clue, signatureKey, signatureVector } from '../__fixtures__/feiyu.fixtures.js';
import { realHttp, startVendorServer, type SeenRequest, type VendorReply } from '../__fixtures__/vendor-server.js';
import type { LeadCursor } from '../shared/window-poll.util.js';
import { feiyuSignature, PULL_CLUES_ROUTE } from './feiyu-api.util.js';
import { oceanengineLeadsTrigger, type OceanengineLeadsConfig } from './leads.trigger.js';

const secrets = { accessToken, signatureKey };
const now = new Date('2024-06-01T12:00:00Z');
const t = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('Feiyu signature', () => {
  it('is base64 of the hex HMAC-SHA256 of "<path>?start_time&end_time <timestamp>" (cross-checked with the Python sample)', () => {
    expect(feiyuSignature(signatureVector.signedPath, signatureVector.timestamp, signatureVector.key)).toBe(signatureVector.signature);
    expect(feiyuSignature('/crm/v2/openapi/clue/callback/', signatureVector.timestamp, signatureVector.key)).toBe(signatureVector.callbackSignature);
  });
});

/** A Feiyu pull API over an in-memory clue table: checks the signature, filters by create_time, pages by count. */
function feiyuApi(clues: () => Record<string, unknown>[]) {
  return (req: SeenRequest): VendorReply => {
    if (req.path !== PULL_CLUES_ROUTE) return { status: 404, body: { status: -1, msg: 'not found' } };
    const start = req.query.get('start_time')!;
    const end = req.query.get('end_time')!;
    const ts = String(req.headers.timestamp);
    if (req.headers['access-token'] !== accessToken) return { body: { status: -2, msg: 'token error' } };
    if (req.headers.signature !== feiyuSignature(`${PULL_CLUES_ROUTE}?start_time=${start}&end_time=${end}`, ts, signatureKey)) return { body: { status: -2, msg: 'signature error' } };
    const rows = clues().filter((c) => Number(c.create_time) >= Number(start) && Number(c.create_time) <= Number(end));
    const page = Number(req.query.get('page'));
    const size = Number(req.query.get('page_size'));
    return { body: { status: 'success', count: rows.length, data: rows.slice((page - 1) * size, page * size) } };
  };
}

describe('oceanengine.leads against a local Feiyu pull API', () => {
  let server: Awaited<ReturnType<typeof startVendorServer>>;
  let table: Record<string, unknown>[] = [];
  let override: ((req: SeenRequest) => VendorReply | undefined) | undefined;
  const http = realHttp();
  beforeAll(async () => {
    const api = feiyuApi(() => table);
    server = await startVendorServer((req) => override?.(req) ?? api(req));
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });
  beforeEach(() => {
    override = undefined;
    server.seen.length = 0;
  });
  const config = () => ({ connection: 'conn_oe', feiyuBaseUrl: server.url, allowPrivateNetwork: true, pageSize: 2, overlapMinutes: 10, maxWindowHours: 24, initialLookbackHours: 1 });
  const poll = (cursor?: unknown, at = now, cfg: Record<string, unknown> = {}) => runPollTrigger(oceanengineLeadsTrigger, { config: { ...config(), ...cfg }, secrets, http, cursor, now: at });

  it('signs each page, pages by count, and keys each clue by clue_id', async () => {
    table = [clue('7001', t('2024-06-01T11:10:00Z')), clue('7002', t('2024-06-01T11:20:00Z')), clue('7003', t('2024-06-01T11:30:00Z'))];
    const first = await poll();
    expect(first.cursor).toEqual({ since: '2024-06-01T11:00:00.000Z' });
    const req = server.seen[0]!;
    expect(req.query.get('start_time')).toBe(String(t('2024-06-01T10:50:00Z')));
    expect(req.query.get('end_time')).toBe(String(t('2024-06-01T12:00:00Z')));
    expect(req.query.get('page')).toBe('1');
    expect(req.query.get('page_size')).toBe('2');
    expect(req.headers.timestamp).toBe(String(t('2024-06-01T12:00:00Z')));
    expect(first.events.map((e) => e.dedupeKey)).toEqual(['7001', '7002']);
    expect(first.hasMore).toBe(true);
    expect((first.next as LeadCursor).window).toMatchObject({ page: 2 });

    const second = await poll(first.next);
    expect(server.seen[1]!.query.get('page')).toBe('2');
    expect(second.events.map((e) => e.dedupeKey)).toEqual(['7003']);
    expect(second.hasMore).toBe(false);
    expect(second.next).toEqual({ since: '2024-06-01T12:00:00.000Z', lastSeenAt: '2024-06-01T11:30:00.000Z', lastSeenIds: ['7003'] });
  });

  it('maps a clue to the lead item: phone, name, city from location, ad ids and form answers as fields', async () => {
    table = [clue('7001', t('2024-06-01T11:10:00Z'))];
    const { events } = await poll();
    expect(events[0]!.items[0]).toEqual({
      eventType: 'lead_ad',
      occurredAt: '2024-06-01T11:10:00.000Z',
      channel: 'oceanengine',
      utm_source: 'oceanengine',
      utm_medium: 'paid_social',
      lead_id: '7001',
      name: '廖阳丽',
      phone: '18057927898',
      city: '金华',
      province: '浙江',
      advertiser_id: '1664750332606472',
      ad_id: '1667194234544220',
      ad_name: 'oCPM_05_20_87',
      creative_id: '1667202824745079',
      form_id: '1667185735022648',
      form_name: '表单1',
      site_id: '6828807535098462221',
      app: '抖音',
      landing_url: 'https://www.chengzijianzhan.com/tetris/page/6828807535098462221/',
      clue_source: '1',
      convert_status: '合法转化',
      预算: '10-20万',
      装修类型: '全包',
      raw: table[0],
    });
  });

  it('re-reads the overlap: an old clue comes back with the same dedupe key, the newest one is skipped, a late one is found', async () => {
    table = [clue('7001', t('2024-06-01T11:55:00Z')), clue('7002', t('2024-06-01T11:58:00Z'))];
    const first = await poll();
    expect(first.events.map((e) => e.dedupeKey)).toEqual(['7001', '7002']);
    // Five minutes later Feiyu shows a clue created before the last window ended.
    table.push(clue('7000', t('2024-06-01T11:57:00Z')));
    const later = new Date('2024-06-01T12:05:00Z');
    const second = await poll(first.next, later, { pageSize: 100 });
    expect(server.seen.at(-1)!.query.get('start_time')).toBe(String(t('2024-06-01T11:50:00Z')));
    expect(second.events.map((e) => e.dedupeKey)).toEqual(['7001', '7000']);
    expect(second.events[0]!.dedupeKey).toBe(first.events[0]!.dedupeKey);
  });

  it('keeps a clue_id beyond 2^53 exact', async () => {
    override = (req) => {
      const row = clue('__ID__', t('2024-06-01T11:30:00Z'));
      return { body: JSON.stringify({ status: 'success', count: 1, data: req.query.get('page') === '1' ? [row] : [] }).replace('"__ID__"', '6831434361875726350') };
    };
    const { events } = await poll();
    expect(events[0]!.dedupeKey).toBe('6831434361875726350');
    expect(events[0]!.items[0]!.lead_id).toBe('6831434361875726350');
  });

  it('backfills from a date in windows of at most maxWindowHours, reporting more to read', async () => {
    table = [clue('6001', t('2024-05-20T08:00:00Z')), clue('6002', t('2024-05-31T08:00:00Z'))];
    const trigger = oceanengineLeadsTrigger.trigger as PollTrigger<OceanengineLeadsConfig, LeadCursor>;
    const cursor = trigger.backfillCursor!(new Date('2024-05-20T00:00:00Z'), {} as never);
    expect(cursor).toEqual({ since: '2024-05-20T00:00:00.000Z' });
    const first = await poll(cursor);
    expect(server.seen[0]!.query.get('start_time')).toBe(String(t('2024-05-19T23:50:00Z')));
    expect(server.seen[0]!.query.get('end_time')).toBe(String(t('2024-05-20T23:50:00Z')));
    expect(first.events.map((e) => e.dedupeKey)).toEqual(['6001']);
    expect(first.hasMore).toBe(true);
    expect((first.next as LeadCursor).since).toBe('2024-05-20T23:50:00.000Z');
    let cursorNow = first.next;
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await poll(cursorNow);
      keys.push(...r.events.map((e) => e.dedupeKey!));
      cursorNow = r.next;
      if (!r.hasMore) break;
    }
    expect(keys).toEqual(['6002']);
    expect((cursorNow as LeadCursor).since).toBe(now.toISOString());
  });

  it('surfaces a 429 with Retry-After as a VendorApiError with retryAfterMs', async () => {
    override = () => ({ status: 429, headers: { 'retry-after': '90' }, body: { status: -1, msg: 'too many requests' } });
    const err = (await poll().catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(90_000);
  });

  it('reports Feiyu’s own refusal (status -2) with its message', async () => {
    const err = (await runPollTrigger(oceanengineLeadsTrigger, { config: config(), secrets: { accessToken, signatureKey: 'wrong-key' }, http, now }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.message).toMatch(/status -2\): signature error/);
    expect(err.message).not.toContain(accessToken);
  });

  it('requires the connection secrets', async () => {
    await expect(runPollTrigger(oceanengineLeadsTrigger, { config: config(), secrets: { accessToken }, http, now })).rejects.toMatchObject({ code: 'missing_secret' });
  });

  it('refuses a window no longer than the overlap', async () => {
    const { checkConfig } = oceanengineLeadsTrigger;
    expect(checkConfig!({ ...config(), overlapMinutes: 60, maxWindowHours: 1 } as never)).toEqual([{ path: '/maxWindowHours', message: 'must be longer than the overlap (60 minutes)' }]);
  });
});

await describeNodeContract(oceanengineLeadsTrigger);
