import { describe, expect, it } from '@jest/globals';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions, type WebhookTrigger } from '@tributary/node-sdk';
import { ticketAddDelivery, ticketClosedDelivery, zohoTicket } from '../__fixtures__/zoho-payloads.js';
import { zohoDeskTicketsTrigger, type ZohoDeskWebhookConfig } from './zohodesk-tickets.trigger.js';

const webhookToken = '4f1c9a7e2b8d4c6f9a1e3b5d7c9f2a4e6b8d0c2e';
const now = new Date('2026-03-02T10:10:05Z');
const config = { connection: 'conn_zohodesk' };

const deliver = (body: unknown, opts: Partial<RunWebhookOptions> = {}) =>
  runWebhookTrigger(zohoDeskTicketsTrigger, {
    config,
    secrets: { webhookToken },
    now,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    query: { token: webhookToken },
    ...opts,
  });

describe('zohodesk.tickets webhook', () => {
  it('accepts the token from the URL query or a header, in constant time', async () => {
    expect((await deliver(ticketAddDelivery)).verify).toEqual({ ok: true });
    expect((await deliver(ticketAddDelivery, { query: {}, headers: { 'x-tributary-token': `Bearer ${webhookToken}` } })).verify).toEqual({ ok: true });
    expect((await deliver(ticketAddDelivery, { query: { secret: webhookToken }, config: { ...config, tokenQueryParam: 'secret' } })).verify).toEqual({ ok: true });
  });

  it('rejects a wrong or missing token, and any token when the connection has none', async () => {
    expect((await deliver(ticketAddDelivery, { query: { token: `${webhookToken}x` } })).verify).toEqual({ ok: false, status: 401, reason: 'token does not match' });
    expect((await deliver(ticketAddDelivery, { query: {} })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/missing token/) });
    const none = await deliver(ticketAddDelivery, { secrets: {} });
    expect(none.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/no "webhookToken"/) });
    expect(none.events).toBeUndefined();
  });

  it('maps Ticket_Add to ticket_opened with the contact, keyed by event, ticket and time', async () => {
    const res = await deliver(ticketAddDelivery);
    expect(res.events).toEqual([
      {
        dedupeKey: 'Ticket_Add:1892000000093003:1772445480000',
        items: [
          {
            ticket_id: '1892000000093003',
            ticket_number: '101',
            eventType: 'ticket_opened',
            subject: '发票抬头错误',
            status: 'open',
            priority: 'high',
            ticket_channel: 'email',
            email: 'han.meimei@example.com',
            name: '梅梅 韩',
            phone: '+86 10 8888 0000',
            zoho_contact_id: '1892000000042032',
            occurredAt: '2026-03-02T09:58:00.000Z',
            raw: ticketAddDelivery[0],
          },
        ],
      },
    ]);
  });

  it('maps a close to ticket_solved, skips other event types, and answers 200', async () => {
    const res = await deliver(ticketClosedDelivery);
    expect(res.events).toHaveLength(1);
    expect(res.events![0]).toMatchObject({ dedupeKey: 'Ticket_Update:1892000000093003:1772446200000', items: [{ eventType: 'ticket_solved', status: 'closed', occurredAt: '2026-03-02T10:10:00.000Z' }] });
    const stillClosed = [{ ...ticketClosedDelivery[0], prevState: { status: 'Closed', statusType: 'Closed', priority: 'Low' } }];
    expect((await deliver(stillClosed)).events![0]!.items[0]).toMatchObject({ eventType: 'ticket_updated' });
    const reopened = [{ eventType: 'Ticket_Update', eventTime: '1772446300000', payload: zohoTicket('1892000000093003') }];
    expect((await deliver(reopened)).events![0]!.items[0]).toMatchObject({ eventType: 'ticket_updated', status: 'open' });
    expect((zohoDeskTicketsTrigger.trigger as WebhookTrigger<ZohoDeskWebhookConfig>).respond!({ runIds: ['r'], duplicates: 0 }, {} as never)).toEqual({ status: 200, body: { ok: true } });
  });

  it('gives a redelivery the same keys and keeps 19-digit ids exact', async () => {
    const raw = JSON.stringify(ticketAddDelivery).replace('"orgId":"55659446"', '"orgId":6000000000000000001');
    const first = await deliver(raw);
    const again = await deliver(raw);
    expect(first.events!.map((e) => e.dedupeKey)).toEqual(again.events!.map((e) => e.dedupeKey));
    expect((first.events![0]!.items[0]!.raw as { orgId: unknown }).orgId).toBe('6000000000000000001');
  });

  it('answers probes without a run and rejects garbage with a PayloadError', async () => {
    expect((await deliver('', { method: 'GET', query: {} })).handshake).toEqual({ status: 200, body: { ok: true } });
    expect((await deliver('')).events).toEqual([]);
    await expect(deliver('[{"eventType": "Ticket_Add", ')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('["not an event"]')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('"text"')).rejects.toBeInstanceOf(PayloadError);
  });

  it('filters event types by config', async () => {
    expect((await deliver(ticketAddDelivery, { config: { ...config, events: ['ticket_solved'] } })).events).toEqual([]);
  });
});
