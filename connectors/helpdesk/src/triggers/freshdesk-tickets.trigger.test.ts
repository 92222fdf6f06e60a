import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemorySharedCache, runPollTrigger, VendorApiError, type PollTrigger, type TriggerEvent } from '@tributary/node-sdk';
import { createHttpClient } from '../../../../libs/runtime/src/http/http-client.js';
import { freshdeskTicket, startFakeFreshdesk, type FakeFreshdesk } from '../__fixtures__/fake-freshdesk.server.js';
import { freshdeskTicketsTrigger, type FreshdeskCursor, type FreshdeskTicketsConfig } from './freshdesk-tickets.trigger.js';

const apiKey = 'Abc123dEfG456hIjK789';
const now = new Date('2026-03-02T10:00:00Z');
const http = createHttpClient();
let server: FakeFreshdesk;
let cache: InMemorySharedCache;

const config = () => ({ connection: 'conn_freshdesk', baseUrl: server.url, allowPrivateNetwork: true, requestsPerMinute: 1000 });

function poll(cursor: unknown, over: Record<string, unknown> = {}, at: Date = now) {
  return runPollTrigger(freshdeskTicketsTrigger, { config: { ...config(), ...over }, secrets: { apiKey }, http, cache, now: at, cursor });
}

/** Polls as the runtime does (following hasMore) and returns every event and the final cursor. */
async function drain(cursor: unknown, over: Record<string, unknown> = {}, at: Date = now): Promise<{ events: TriggerEvent[]; cursor: FreshdeskCursor; polls: number }> {
  const events: TriggerEvent[] = [];
  let c = cursor;
  for (let polls = 1; polls < 50; polls++) {
    const res = await poll(c, over, at);
    events.push(...res.events);
    c = res.next;
    if (!res.hasMore) return { events, cursor: c as FreshdeskCursor, polls };
  }
  throw new Error('poll never finished');
}

const keys = (events: TriggerEvent[]) => events.map((e) => e.dedupeKey);
const backfill = (from: Date, ctx: never) => (freshdeskTicketsTrigger.trigger as PollTrigger<FreshdeskTicketsConfig, FreshdeskCursor>).backfillCursor!(from, ctx);

beforeEach(async () => {
  server = await startFakeFreshdesk(apiKey);
  cache = new InMemorySharedCache();
});
afterEach(() => server.close());
afterAll(() => http.close());

describe('freshdesk.tickets poll', () => {
  it('asks for tickets updated since the cursor, oldest first, with the requester and basic auth', async () => {
    server.tickets.push(freshdeskTicket(20, '2026-03-02T09:59:30Z', '2026-03-02T09:59:30Z'));
    const res = await poll(undefined);
    expect(res.cursor).toEqual({ since: '2026-03-02T10:00:00Z', seen: [], page: 1, caughtUp: true });
    const q = server.requests[0]!.url.searchParams;
    expect(server.requests[0]!.url.pathname).toBe('/api/v2/tickets');
    expect(Object.fromEntries(q)).toEqual({ updated_since: '2026-03-02T09:58:00Z', order_by: 'updated_at', order_type: 'asc', include: 'requester', per_page: '100', page: '1' });
    expect(server.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`);
    expect(res.events).toEqual([
      {
        dedupeKey: '20:2026-03-02T09:59:30Z',
        items: [
          {
            ticket_id: '20',
            eventType: 'ticket_opened',
            subject: 'Ticket 20',
            status: 'open',
            priority: 'low',
            ticket_channel: 'portal',
            email: 'customer20@example.com',
            name: 'Customer 20',
            phone: '+86 21 5555 0000',
            freshdesk_requester_id: '43012345678',
            occurredAt: '2026-03-02T09:59:30.000Z',
            raw: server.tickets[0],
          },
        ],
      },
    ]);
    // The watermark moves only with Freshdesk's own timestamps, so clock skew cannot skip a change.
    expect(res.next).toEqual({ since: '2026-03-02T10:00:00Z', seen: [], page: 1, caughtUp: true });
    expect(res.hasMore).toBe(false);
  });

  it('maps resolved and closed to ticket_solved, other changes to ticket_updated', async () => {
    server.tickets.push(
      freshdeskTicket(1, '2026-02-01T00:00:00Z', '2026-03-02T09:59:01Z', { status: 4 }),
      freshdeskTicket(2, '2026-02-01T00:00:00Z', '2026-03-02T09:59:02Z', { status: 5 }),
      freshdeskTicket(3, '2026-02-01T00:00:00Z', '2026-03-02T09:59:03Z', { status: 3, requester: { id: 9, name: 'Mobile only', email: null, phone: null, mobile: '13912345670' } }),
    );
    const { events } = await drain(undefined);
    expect(events.map((e) => [e.items[0]!.ticket_id, e.items[0]!.eventType, e.items[0]!.status])).toEqual([
      ['1', 'ticket_solved', 'resolved'],
      ['2', 'ticket_solved', 'closed'],
      ['3', 'ticket_updated', 'pending'],
    ]);
    expect(events[2]!.items[0]).toMatchObject({ phone: '13912345670', name: 'Mobile only' });
    expect(events[2]!.items[0]).not.toHaveProperty('email');
  });

  it('pages through a backlog with the Link header and emits every change once', async () => {
    for (let i = 1; i <= 7; i++) server.tickets.push(freshdeskTicket(i, '2026-02-01T00:00:00Z', `2026-03-01T0${i}:00:00Z`));
    const start = backfill(new Date('2026-03-01T00:00:00Z'), {} as never);
    const { events, cursor, polls } = await drain(start, { perPage: 3 });
    expect(keys(events)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `${i}:2026-03-01T0${i}:00:00Z`));
    expect(polls).toBe(3);
    expect(cursor).toEqual({ since: '2026-03-01T07:00:00Z', seen: ['7'], page: 1, caughtUp: true });
    // Each page after the first starts where the previous one ended, not at a page number that shifts as tickets change.
    expect(server.requests.map((r) => [r.url.searchParams.get('updated_since'), r.url.searchParams.get('page')])).toEqual([
      ['2026-03-01T00:00:00Z', '1'],
      ['2026-03-01T03:00:00Z', '1'],
      ['2026-03-01T05:00:00Z', '1'],
    ]);
  });

  it('does not lose tickets that share one second across a page boundary', async () => {
    for (let i = 1; i <= 5; i++) server.tickets.push(freshdeskTicket(i, '2026-02-01T00:00:00Z', '2026-03-01T05:00:00Z'));
    server.tickets.push(freshdeskTicket(6, '2026-02-01T00:00:00Z', '2026-03-01T05:00:01Z'));
    const start = backfill(new Date('2026-03-01T00:00:00Z'), {} as never);
    const { events } = await drain(start, { perPage: 2 });
    expect(new Set(keys(events))).toEqual(new Set([1, 2, 3, 4, 5].map((i) => `${i}:2026-03-01T05:00:00Z`).concat('6:2026-03-01T05:00:01Z')));
    expect(keys(events)).toHaveLength(6);
  });

  it('re-reads the overlap: changes seen again give the same dedupe keys, late ones are caught', async () => {
    server.tickets.push(freshdeskTicket(10, '2026-02-01T00:00:00Z', '2026-03-02T10:00:30Z'), freshdeskTicket(11, '2026-02-01T00:00:00Z', '2026-03-02T10:01:40Z'));
    const first = await drain({ since: '2026-03-02T10:00:00Z', seen: [], page: 1, caughtUp: true }, {}, new Date('2026-03-02T10:02:00Z'));
    expect(keys(first.events)).toEqual(['10:2026-03-02T10:00:30Z', '11:2026-03-02T10:01:40Z']);
    expect(first.cursor).toEqual({ since: '2026-03-02T10:01:40Z', seen: ['11'], page: 1, caughtUp: true });

    // A change Freshdesk lists late (updated before the watermark) and a new change of ticket 10.
    server.tickets.push(freshdeskTicket(12, '2026-02-01T00:00:00Z', '2026-03-02T10:01:10Z'));
    server.tickets[0] = freshdeskTicket(10, '2026-02-01T00:00:00Z', '2026-03-02T10:02:50Z', { status: 4 });
    const second = await drain(first.cursor, {}, new Date('2026-03-02T10:03:00Z'));
    expect(server.requests.at(-1)!.url.searchParams.get('updated_since')).toBe('2026-03-02T09:59:40Z');
    // Ticket 11 at the watermark is known and skipped; 12 (late) and the new change of 10 are new.
    expect(keys(second.events)).toEqual(['12:2026-03-02T10:01:10Z', '10:2026-03-02T10:02:50Z']);
    expect(second.events[1]!.items[0]).toMatchObject({ eventType: 'ticket_solved', status: 'resolved' });

    // Nothing changed since: the overlap reads 11 and 12 again, with the keys they had, so the runtime starts no second run.
    const third = await drain(second.cursor, {}, new Date('2026-03-02T10:04:00Z'));
    expect(keys(third.events)).toEqual(['12:2026-03-02T10:01:10Z', '11:2026-03-02T10:01:40Z']);
    const before = new Set([...keys(first.events), ...keys(second.events)]);
    for (const k of keys(third.events)) expect(before.has(k)).toBe(true);
  });

  it('turns a 429 into a VendorApiError with the Retry-After, keeping the cursor', async () => {
    server.override = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120', 'x-ratelimit-total': '50', 'x-ratelimit-remaining': '0' });
      res.end('{"code":"rate_limit_exceeded","message":"You have exceeded the limit of requests per minute"}');
      return true;
    };
    const err = await poll(undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 120_000, retryable: true, code: 'vendor_rate_limited' });
    expect(server.requests).toHaveLength(1);
  });

  it('waits out a short Retry-After itself and carries on', async () => {
    server.tickets.push(freshdeskTicket(30, '2026-02-01T00:00:00Z', '2026-03-02T09:59:00Z'));
    let first = true;
    server.override = (_req, res) => {
      if (!first) return false;
      first = false;
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
      res.end('{"code":"rate_limit_exceeded"}');
      return true;
    };
    const res = await poll(undefined);
    expect(keys(res.events)).toEqual(['30:2026-03-02T09:59:00Z']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops paging when the rate-limit headers say the window is nearly spent', async () => {
    for (let i = 1; i <= 4; i++) server.tickets.push(freshdeskTicket(i, '2026-02-01T00:00:00Z', `2026-03-02T09:59:0${i}Z`));
    server.rateLimitRemaining = 2;
    const res = await poll({ since: '2026-03-02T09:00:00Z', seen: [], page: 1, caughtUp: false }, { perPage: 2 });
    expect(res.events).toHaveLength(2);
    expect(res.hasMore).toBe(false);
    expect(res.next).toMatchObject({ since: '2026-03-02T09:59:02Z', caughtUp: false });
  });

  it('backfills from a date without the overlap and without the 30-day default window', async () => {
    server.tickets.push(freshdeskTicket(40, '2025-12-01T00:00:00Z', '2025-12-24T12:00:00Z'), freshdeskTicket(41, '2025-12-01T00:00:00Z', '2025-12-26T12:00:00Z'));
    const cursor = backfill(new Date('2025-12-25T00:00:00.750Z'), {} as never);
    expect(cursor).toEqual({ since: '2025-12-25T00:00:00Z', seen: [], page: 1, caughtUp: false });
    const res = await poll(cursor);
    expect(server.requests[0]!.url.searchParams.get('updated_since')).toBe('2025-12-25T00:00:00Z');
    expect(keys(res.events)).toEqual(['41:2025-12-26T12:00:00Z']);
  });

  it('reports a wrong API key as a non-retryable error that does not leak the key', async () => {
    const err = (await runPollTrigger(freshdeskTicketsTrigger, { config: config(), secrets: { apiKey: 'wrong-key-0000000000' }, http, cache, now }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ status: 401, retryable: false, code: 'vendor_auth_failed' });
    expect(err.message).not.toContain('wrong-key');
    await expect(runPollTrigger(freshdeskTicketsTrigger, { config: config(), secrets: {}, http, cache, now })).rejects.toThrow(/no "apiKey"/);
  });

  it('refuses loopback addresses unless the node allows the private network', async () => {
    const err = await poll(undefined, { allowPrivateNetwork: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ retryable: false, message: expect.stringMatching(/loopback|private/i) });
    expect(server.requests).toHaveLength(0);
  });

  it('builds the vendor URL from the domain', async () => {
    const seen: string[] = [];
    const fake = { request: async (req: { url: string }) => (seen.push(req.url), { status: 200, headers: {}, body: '[]' }) };
    await runPollTrigger(freshdeskTicketsTrigger, { config: { connection: 'c', domain: 'yourcompany' }, secrets: { apiKey }, http: fake, cache, now });
    await runPollTrigger(freshdeskTicketsTrigger, { config: { connection: 'c' }, secrets: { apiKey, domain: 'https://acme.freshdesk.com/' }, http: fake, cache, now });
    expect(seen.map((u) => new URL(u).origin)).toEqual(['https://yourcompany.freshdesk.com', 'https://acme.freshdesk.com']);
  });
});
