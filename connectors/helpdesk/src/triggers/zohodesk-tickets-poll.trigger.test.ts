import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemorySharedCache, runPollTrigger, VendorApiError, type PollTrigger, type TriggerEvent } from '@tributary/node-sdk';
import { createHttpClient } from '../../../../libs/runtime/src/http/http-client.js';
import { startFakeZoho, zohoClient, type FakeZoho } from '../__fixtures__/fake-zoho.server.js';
import { zohoTicket } from '../__fixtures__/zoho-payloads.js';
import { zohoDeskTicketsPollTrigger, type ZohoDeskCursor, type ZohoDeskPollConfig } from './zohodesk-tickets-poll.trigger.js';

const now = new Date('2026-03-02T10:00:00Z');
const http = createHttpClient();
let zoho: FakeZoho;
let cache: InMemorySharedCache;

const secrets = () => ({ ...zohoClient, accountsBaseUrl: zoho.url });
const config = () => ({ connection: 'conn_zohodesk', deskBaseUrl: zoho.url, allowPrivateNetwork: true, requestsPerMinute: 600 });
const poll = (cursor: unknown, over: Record<string, unknown> = {}, at = now) =>
  runPollTrigger(zohoDeskTicketsPollTrigger, { config: { ...config(), ...over }, secrets: secrets(), http, cache, now: at, cursor });

async function drain(cursor: unknown, over: Record<string, unknown> = {}, at = now): Promise<{ events: TriggerEvent[]; cursor: ZohoDeskCursor }> {
  const events: TriggerEvent[] = [];
  let c = cursor;
  for (let i = 0; i < 50; i++) {
    const res = await poll(c, over, at);
    events.push(...res.events);
    c = res.next;
    if (!res.hasMore) return { events, cursor: c as ZohoDeskCursor };
  }
  throw new Error('poll never finished');
}
const keys = (events: TriggerEvent[]) => events.map((e) => e.dedupeKey);
const changed = (id: string, minute: string, over: Record<string, unknown> = {}) =>
  zohoTicket(id, { createdTime: '2026-02-01T00:00:00.000Z', modifiedTime: `2026-03-02T${minute}:00.000Z`, ...over });

beforeEach(async () => {
  zoho = await startFakeZoho();
  cache = new InMemorySharedCache();
});
afterEach(() => zoho.close());
afterAll(() => http.close());

describe('zohodesk.tickets-poll', () => {
  it('refreshes an access token once, shares it, and lists newest changes first with the contact', async () => {
    zoho.tickets.push(zohoTicket('1892000000093003', { createdTime: '2026-03-02T09:59:00.000Z', modifiedTime: '2026-03-02T09:59:20.000Z' }));
    const res = await poll(undefined);
    expect(zoho.tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(zoho.tokenRequests[0]!)).toEqual({ grant_type: 'refresh_token', client_id: zohoClient.clientId, client_secret: zohoClient.clientSecret, refresh_token: zohoClient.refreshToken });
    const req = zoho.listRequests[0]!;
    expect(req.authorization).toBe('Zoho-oauthtoken 1000.access1.token');
    expect(req.orgId).toBe('55659446');
    expect(Object.fromEntries(req.url.searchParams)).toMatchObject({ from: '1', limit: '100', sortBy: '-modifiedTime', include: 'contacts' });
    expect(res.events).toEqual([
      {
        dedupeKey: '1892000000093003:2026-03-02T09:59:20.000Z',
        items: [expect.objectContaining({ ticket_id: '1892000000093003', eventType: 'ticket_opened', email: 'han.meimei@example.com', name: '梅梅 韩', occurredAt: '2026-03-02T09:59:20.000Z' })],
      },
    ]);
    expect(res.hasMore).toBe(false);
    expect(res.next).toEqual({ since: '2026-03-02T10:00:00.000Z', from: 1 });
    // A second poll (another worker, same cache) reuses the token.
    await poll(res.next);
    expect(zoho.tokenRequests).toHaveLength(1);
  });

  it('walks a backlog page by page, oldest first within a page, and stops at the watermark', async () => {
    for (let i = 1; i <= 5; i++) zoho.tickets.push(changed(`18920000000930${i}0`, `09:0${i}`));
    zoho.tickets.push(changed('1892000000090000', '08:00'));
    const start = (zohoDeskTicketsPollTrigger.trigger as PollTrigger<ZohoDeskPollConfig, ZohoDeskCursor>).backfillCursor!(new Date('2026-03-02T09:00:00Z'), {} as never);
    const { events, cursor } = await drain(start, { pageSize: 2, overlapSeconds: 0 });
    // Newest page first; within a page, oldest first.
    expect(keys(events)).toEqual(['40:09:04', '50:09:05', '20:09:02', '30:09:03', '10:09:01'].map((k) => `18920000000930${k.slice(0, 2)}:2026-03-02T${k.slice(3)}:00.000Z`));
    expect(cursor).toEqual({ since: '2026-03-02T09:05:00.000Z', from: 1 });
    expect(zoho.listRequests.map((r) => r.url.searchParams.get('from'))).toEqual(['1', '3', '5']);
  });

  it('re-reads the overlap with the same dedupe keys and catches a new change', async () => {
    zoho.tickets.push(changed('1', '09:59'));
    const first = await drain({ since: '2026-03-02T09:58:30.000Z', from: 1 });
    expect(keys(first.events)).toEqual(['1:2026-03-02T09:59:00.000Z']);
    zoho.tickets.push(changed('2', '10:01', { status: 'Closed', statusType: 'Closed' }));
    const second = await drain(first.cursor, {}, new Date('2026-03-02T10:02:00Z'));
    expect(keys(second.events)).toEqual(['1:2026-03-02T09:59:00.000Z', '2:2026-03-02T10:01:00.000Z']);
    expect(second.events[1]!.items[0]).toMatchObject({ eventType: 'ticket_solved' });
    expect(second.cursor.since).toBe('2026-03-02T10:01:00.000Z');
  });

  it('fetches a new token once when the API refuses the cached one', async () => {
    zoho.tickets.push(changed('1', '09:59'));
    await poll({ since: '2026-03-02T09:58:00.000Z', from: 1 });
    zoho.validTokens.clear();
    const res = await poll({ since: '2026-03-02T09:58:00.000Z', from: 1 });
    expect(keys(res.events)).toEqual(['1:2026-03-02T09:59:00.000Z']);
    expect(zoho.tokenRequests).toHaveLength(2);
  });

  it('turns a 429 into a VendorApiError with the Retry-After', async () => {
    zoho.override = (res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '90' });
      res.end('{"errorCode":"TOO_MANY_REQUESTS","message":"API rate limit exceeded"}');
      return true;
    };
    const err = await poll({ since: '2026-03-02T09:58:00.000Z', from: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 90_000, retryable: true });
  });

  it('treats 204 as no changes', async () => {
    const res = await poll({ since: '2026-03-02T09:58:00.000Z', from: 1 });
    expect(res).toMatchObject({ events: [], hasMore: false, next: { since: '2026-03-02T09:58:00.000Z', from: 1 } });
  });

  it('reports a refused refresh token clearly and without the secrets', async () => {
    const err = (await runPollTrigger(zohoDeskTicketsPollTrigger, { config: config(), secrets: { ...secrets(), refreshToken: '1000.revoked' }, http, cache, now }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ retryable: false, message: expect.stringMatching(/refresh token was not accepted \(invalid_code\)/) });
    expect(err.message).not.toContain(zohoClient.clientSecret);
    await expect(runPollTrigger(zohoDeskTicketsPollTrigger, { config: config(), secrets: { orgId: '1' }, http, cache, now })).rejects.toThrow(/needs "clientId", "clientSecret" and "refreshToken"/);
  });
});
