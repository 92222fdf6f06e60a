// A vendor poll trigger through the real API and worker: freshdesk.tickets against a local server
// speaking Freshdesk's documented list API. Tickets become customers with timeline events; a 429
// pauses the trigger for as long as Retry-After asks; a backfill from the API reads older history
// again without repeating runs already made.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshdeskTicket, startFakeFreshdesk, type FakeFreshdesk } from '../connectors/helpdesk/src/__fixtures__/fake-freshdesk.server.js';
import { startSystem, type System } from './support/system.js';

const API_KEY = 'FdApiKey0123456789';
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3_600_000;

describe('freshdesk.tickets polled by the real worker', () => {
  let sys: System;
  let fd: FakeFreshdesk;

  beforeAll(async () => {
    fd = await startFakeFreshdesk(API_KEY, [
      freshdeskTicket(101, iso(2 * HOUR), iso(HOUR), { requester: { id: 1, name: '郑一', email: 'zheng.yi@corp-mail.cn', mobile: '13924687001', phone: null } }),
      freshdeskTicket(102, iso(2 * HOUR), iso(HOUR / 2), { status: 4, requester: { id: 2, name: '冯二', email: 'feng.er@corp-mail.cn', mobile: null, phone: null } }),
      // Older than the first poll's look-back: only a backfill reads it.
      freshdeskTicket(90, iso(72 * HOUR), iso(48 * HOUR), { requester: { id: 3, name: '陈三', email: 'chen.san@corp-mail.cn', mobile: null, phone: null } }),
    ]);
    sys = await startSystem({ label: 'poll', env: { TRIBUTARY_HTTP_ALLOW_PRIVATE_HOSTS: '127.0.0.1' } });
    const conn = await sys.request('POST', '/api/connections', { type: 'freshdesk', name: 'Freshdesk', secrets: { apiKey: API_KEY, domain: 'yourcompany.freshdesk.com' } });
    expect(conn.status).toBe(201);
    await sys.createFlow({
      schemaVersion: 1,
      id: 'desk',
      name: 'desk',
      nodes: [
        { id: 'tickets', type: 'freshdesk.tickets', version: 1, config: { connection: conn.body.id, baseUrl: fd.url, intervalSeconds: 3600, initialLookbackHours: 24 } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'helpdesk', event: { type: 'ticket_updated', typeField: 'eventType', occurredAtField: 'occurredAt' } } },
      ],
      edges: [{ from: 'tickets', to: 'save' }],
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await fd?.close();
  });

  const runs = async () => (await sys.db.query(`SELECT dedupe_key, status FROM runs WHERE flow_id = 'desk' ORDER BY dedupe_key`)).rows as { dedupe_key: string; status: string }[];
  const state = async () => (await sys.request('GET', '/api/flows/desk/triggers/tickets/state')).body;
  // One poll of a trigger runs at a time (a poll asked for meanwhile is skipped): wait for the one in flight.
  const idle = () =>
    sys.waitFor(async () => (await sys.db.query(`SELECT count(*)::int AS n FROM shared_cache WHERE key LIKE 'poll-lock:desk:%' AND expires_at > now()`)).rows[0].n === 0, 30_000, 'the poll in flight');
  const pollNow = async () => {
    await idle();
    expect((await sys.request('POST', '/api/flows/desk/triggers/tickets/poll')).status).toBe(202);
  };

  it('turns each ticket change into one run and one customer event, and keeps the cursor', async () => {
    await pollNow();
    await sys.waitFor(async () => (await runs()).length >= 2, 30_000, 'two ticket runs');
    await sys.drain();
    expect((await runs()).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const zheng = (await sys.request('GET', '/api/customers?email=zheng.yi@corp-mail.cn')).body.items[0];
    const view = (await sys.request('GET', `/api/customers/${zheng.id}`)).body;
    expect(view.identities.map((i: { value: string }) => i.value)).toEqual(expect.arrayContaining(['zheng.yi@corp-mail.cn', '+8613924687001']));
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(['ticket_updated']);
    const feng = (await sys.request('GET', '/api/customers?email=feng.er@corp-mail.cn')).body.items[0];
    expect((await sys.request('GET', `/api/customers/${feng.id}`)).body.timeline[0].type).toBe('ticket_solved');
    expect((await state()).cursor).not.toBeNull();
    expect(fd.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:X`).toString('base64')}`);

    // Polling again reads the overlap window again: no new runs.
    await pollNow();
    await sys.waitFor(async () => (await state()).lastPolledAt !== null && fd.requests.length >= 2, 30_000, 'a second poll');
    await sys.drain();
    expect(await runs()).toHaveLength(2);
  });

  it('rests as long as a 429 asks, then a backfill reads older history without repeating runs', async () => {
    fd.override = (_req, res) => {
      fd.override = undefined;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3600' });
      res.end(JSON.stringify({ code: 'rate_limit', message: 'You have exceeded the limit of requests per minute' }));
      return true;
    };
    const before = fd.requests.length;
    await pollNow();
    await sys.waitFor(async () => (await state()).consecutiveErrors === 1, 30_000, 'the 429 to be recorded');
    const resting = await state();
    expect(Date.parse(resting.nextPollAt) - Date.now()).toBeGreaterThan(3_500_000);
    expect(resting.lastError.message).toMatch(/429/);
    const afterError = fd.requests.length;
    expect(afterError).toBe(before + 1);

    // While it rests, a poll does not call the vendor.
    await pollNow();
    // A negative check: give the worker time to (not) call the vendor.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fd.requests.length).toBe(afterError);

    // A backfill lifts the pause and reads from three days ago: ticket 90 is new, 101 and 102 are duplicates.
    const from = new Date(Date.now() - 72 * HOUR).toISOString();
    const backfill = await sys.request('POST', '/api/flows/desk/triggers/tickets/backfill', { from });
    expect(backfill.status).toBe(200);
    expect(backfill.body).toMatchObject({ consecutiveErrors: 0, nextPollAt: null });
    await sys.waitFor(async () => (await runs()).length === 3, 30_000, 'the backfilled ticket');
    await sys.drain();
    expect((await runs()).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((await sys.request('GET', '/api/customers?email=chen.san@corp-mail.cn')).body.items).toHaveLength(1);

    expect((await sys.request('POST', '/api/flows/desk/triggers/tickets/backfill', { from: 'last week' })).status).toBe(400);
    expect((await sys.request('POST', '/api/flows/desk/triggers/save/poll')).status).toBe(409);
  });
});
