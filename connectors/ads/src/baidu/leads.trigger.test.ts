import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { describeNodeContract, runPollTrigger, VendorApiError } from '@tributary/node-sdk';
import { baiduSecrets, notice } from '../__fixtures__/baidu.fixtures.js';
import { realHttp, startVendorServer, type SeenRequest, type VendorReply } from '../__fixtures__/vendor-server.js';
import { formatChinaTime, parseVendorTime } from '../shared/china-time.util.js';
import type { LeadCursor } from '../shared/window-poll.util.js';
import { baiduLeadsTrigger } from './leads.trigger.js';

const now = new Date('2024-06-01T12:00:00Z');
const bj = (iso: string) => formatChinaTime(new Date(iso));

/** LeadsNoticeService/getNoticeList over an in-memory table: header auth, one lead type per query, Beijing-time range, pages. */
function marketingApi(leads: () => Record<string, unknown>[]) {
  return (req: SeenRequest): VendorReply => {
    if (req.path !== '/json/sms/service/LeadsNoticeService/getNoticeList') return { status: 404, body: {} };
    const { header, body } = JSON.parse(req.body) as { header: { userName: string; accessToken: string }; body: { solutionType: string; startDate: string; endDate: string; pageNo: number; pageSize: number } };
    if (header.userName !== baiduSecrets.userName || header.accessToken !== baiduSecrets.accessToken) {
      return { body: { header: { desc: 'failure', status: 2, failures: [{ code: 8206, message: 'access token is invalid', position: 'header' }] }, body: { data: [] } } };
    }
    const from = parseVendorTime(body.startDate)!.getTime();
    const to = parseVendorTime(body.endDate)!.getTime();
    const rows = leads().filter((l) => l.solutionType === body.solutionType && parseVendorTime(l.commitTime)!.getTime() >= from && parseVendorTime(l.commitTime)!.getTime() <= to);
    const page = rows.slice((body.pageNo - 1) * body.pageSize, body.pageNo * body.pageSize);
    return { body: { header: { desc: 'success', status: 0, failures: [], oprs: 1, succ: 1, quota: 2, rquota: 10000 }, body: { data: [{ totalNum: rows.length, rowNumber: page.length, noticeDetailList: page }] } } };
  };
}

describe('baidu.leads against a local Marketing API', () => {
  let server: Awaited<ReturnType<typeof startVendorServer>>;
  let table: Record<string, unknown>[] = [];
  let override: ((req: SeenRequest) => VendorReply | undefined) | undefined;
  const http = realHttp();
  beforeAll(async () => {
    const api = marketingApi(() => table);
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
  const config = (over: Record<string, unknown> = {}) => ({ connection: 'conn_bd', baiduBaseUrl: server.url, allowPrivateNetwork: true, pageSize: 1, initialLookbackHours: 1, solutionTypes: ['form', 'phone'], ...over });
  const poll = (cursor?: unknown, at = now, over: Record<string, unknown> = {}) => runPollTrigger(baiduLeadsTrigger, { config: config(over), secrets: baiduSecrets, http, cursor, now: at });

  async function drain(cursor?: unknown, at = now, over: Record<string, unknown> = {}) {
    const keys: string[] = [];
    let c = cursor;
    for (let i = 0; i < 20; i++) {
      const r = await poll(c, at, over);
      keys.push(...r.events.map((e) => e.dedupeKey!));
      c = r.next;
      if (!r.hasMore) break;
    }
    return { keys, cursor: c as LeadCursor };
  }

  it('sends userName and accessToken in the header, Beijing-time dates, and one query per lead type', async () => {
    table = [notice('c-1', bj('2024-06-01T11:10:00Z')), notice('c-2', bj('2024-06-01T11:20:00Z')), notice('c-3', bj('2024-06-01T11:30:00Z'), 'phone')];
    const { keys, cursor } = await drain();
    expect(keys).toEqual(['c-1', 'c-2', 'c-3']);
    const bodies = server.seen.map((r) => JSON.parse(r.body) as { header: Record<string, string>; body: Record<string, unknown> });
    expect(bodies[0]!.header).toMatchObject({ userName: baiduSecrets.userName, accessToken: baiduSecrets.accessToken });
    expect(bodies[0]!.body).toEqual({ solutionType: 'form', startDate: '2024-06-01 18:50:00', endDate: '2024-06-01 20:00:00', pageNo: 1, pageSize: 1 });
    expect(bodies.map((b) => `${String(b.body.solutionType)}#${String(b.body.pageNo)}`)).toEqual(['form#1', 'form#2', 'phone#1']);
    expect(cursor.since).toBe(now.toISOString());
  });

  it('maps a lead: phone, name, company from formDetail, other answers as fields, ad ids and bd_vid', async () => {
    table = [notice('c-1', '2024-06-01 19:10:00')];
    const { events } = await poll();
    expect(events[0]).toMatchObject({ dedupeKey: 'c-1' });
    expect(events[0]!.items[0]).toMatchObject({
      eventType: 'lead_ad',
      occurredAt: '2024-06-01T11:10:00.000Z',
      channel: 'baidu',
      utm_source: 'baidu',
      lead_id: 'c-1',
      name: '王五',
      phone: '17731343392',
      company: '北海冠山海文旅',
      意向户型: '三居',
      area: '广西-北海',
      campaign_id: '566330401',
      adgroup_id: '567019948',
      creative_id: '90012345678',
      landing_url: 'https://qianhu.wejianzhan.com/site/qianhu.wejianzhan.com/7a321fdb?bd_vid=8712345678901234567',
      bd_vid: '8712345678901234567',
      solution_type: 'form',
    });
    expect(events[0]!.items[0]).not.toHaveProperty('keyword_id');
  });

  it('re-reads the overlap: repeats keep their dedupe key, the newest one is skipped', async () => {
    table = [notice('c-1', bj('2024-06-01T11:55:00Z')), notice('c-2', bj('2024-06-01T11:58:00Z'))];
    const first = await drain(undefined, now, { solutionTypes: ['form'], pageSize: 10 });
    expect(first.keys).toEqual(['c-1', 'c-2']);
    table.push(notice('c-0', bj('2024-06-01T11:59:00Z')));
    const second = await drain(first.cursor, new Date('2024-06-01T12:04:00Z'), { solutionTypes: ['form'], pageSize: 10 });
    expect(second.keys).toEqual(['c-1', 'c-0']);
  });

  it('reports Baidu’s refusal with its failure code and message', async () => {
    const err = (await runPollTrigger(baiduLeadsTrigger, { config: config(), secrets: { ...baiduSecrets, accessToken: 'expired' }, http, now }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.message).toMatch(/status 2\): 8206 access token is invalid/);
    expect(err.message).not.toContain('expired');
  });

  it('surfaces a 429 with Retry-After as a VendorApiError with retryAfterMs', async () => {
    override = () => ({ status: 429, headers: { 'retry-after': '45' }, body: {} });
    const err = (await poll().catch((e: unknown) => e)) as VendorApiError;
    expect(err.retryAfterMs).toBe(45_000);
  });

  it('backfills from a date, one window and lead type after another', async () => {
    table = [notice('b-1', bj('2024-05-30T08:00:00Z'), 'phone')];
    const cursor = (baiduLeadsTrigger.trigger as { backfillCursor: (d: Date, c: unknown) => unknown }).backfillCursor(new Date('2024-05-30T00:00:00Z'), {});
    const { keys, cursor: end } = await drain(cursor);
    expect(keys).toEqual(['b-1']);
    expect(end.since).toBe(now.toISOString());
  });
});

await describeNodeContract(baiduLeadsTrigger);
