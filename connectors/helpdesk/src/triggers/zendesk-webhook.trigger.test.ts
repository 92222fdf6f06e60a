import { describe, expect, it } from '@jest/globals';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { commentAdded, signZendesk, ticketCreated, ticketPending, ticketSolved, triggerBody, zendeskSecret } from '../__fixtures__/zendesk-payloads.js';
import { ZENDESK_TEST_SIGNING_SECRET } from '../util/zendesk-signature.util.js';
import { zendeskWebhookTrigger } from './zendesk-webhook.trigger.js';

const now = new Date('2026-03-02T09:30:20Z');
const ts = '2026-03-02T09:30:10Z';
const config = { connection: 'conn_zendesk' };

function deliver(body: string, opts: { timestamp?: string; secret?: string; headers?: Record<string, string | undefined>; config?: Record<string, unknown> } & Partial<RunWebhookOptions> = {}) {
  const timestamp = opts.timestamp ?? ts;
  return runWebhookTrigger(zendeskWebhookTrigger, {
    config: { ...config, ...opts.config },
    secrets: { signingSecret: zendeskSecret },
    now,
    body,
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
      'x-zendesk-webhook-invocation-id': '8350205582',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signZendesk(body, timestamp, opts.secret ?? zendeskSecret),
      ...opts.headers,
    },
  });
}

describe('zendesk.webhook verify', () => {
  const body = JSON.stringify(ticketCreated);

  it('accepts a delivery signed over timestamp + raw body', async () => {
    expect((await deliver(body)).verify).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong secret and missing headers with 401', async () => {
    const tampered = await runWebhookTrigger(zendeskWebhookTrigger, {
      config,
      secrets: { signingSecret: zendeskSecret },
      now,
      body: body.replace('Printer on fire', 'Printer is fine'),
      headers: { 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': signZendesk(body, ts) },
    });
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'signature does not match' });
    expect(tampered.events).toBeUndefined();
    expect((await deliver(body, { secret: 'another-secret-of-some-length' })).verify).toMatchObject({ ok: false, status: 401, reason: 'signature does not match' });
    expect((await deliver(body, { headers: { 'x-zendesk-webhook-signature': undefined } })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/missing X-Zendesk-Webhook-Signature/) });
    expect((await deliver(body, { headers: { 'x-zendesk-webhook-signature-timestamp': undefined } })).verify).toMatchObject({ ok: false, status: 401 });
  });

  it('signs the timestamp too: a fresh timestamp on an old signature fails', async () => {
    const old = '2026-03-02T08:00:00Z';
    const res = await deliver(body, { headers: { 'x-zendesk-webhook-signature': signZendesk(body, old) } });
    expect(res.verify).toMatchObject({ ok: false, reason: 'signature does not match' });
    // Concatenated with no separator: a "." in between is not Zendesk's scheme.
    const dotted = await deliver(body, { headers: { 'x-zendesk-webhook-signature': signZendesk(`.${body}`, ts) } });
    expect(dotted.verify?.ok).toBe(false);
  });

  it('refuses a stale timestamp (default 300 s) and lets 0 disable the window', async () => {
    const stale = await deliver(body, { timestamp: '2026-03-02T09:24:00Z' });
    expect(stale.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    const future = await deliver(body, { timestamp: '2026-03-02T09:40:00Z' });
    expect(future.verify?.ok).toBe(false);
    expect((await deliver(body, { timestamp: '2026-03-02T09:26:00Z' })).verify).toEqual({ ok: true });
    expect((await deliver(body, { timestamp: '2020-01-01T00:00:00Z', config: { toleranceSeconds: 0 } })).verify).toEqual({ ok: true });
    expect((await deliver(body, { timestamp: '1700000000' })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid signature timestamp/) });
  });

  it('never passes without the connection secret, or with Zendesk’s public test secret in it', async () => {
    const none = await runWebhookTrigger(zendeskWebhookTrigger, { config, now, body, headers: { 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': signZendesk(body, ts) } });
    expect(none.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/no "signingSecret"/) });
    const pub = await runWebhookTrigger(zendeskWebhookTrigger, {
      config,
      now,
      secrets: { signingSecret: ZENDESK_TEST_SIGNING_SECRET },
      body,
      headers: { 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': signZendesk(body, ts, ZENDESK_TEST_SIGNING_SECRET) },
    });
    expect(pub.handshake).toBeUndefined();
    expect(pub.verify).toMatchObject({ ok: false, reason: expect.stringMatching(/public test secret/) });
  });
});

describe('zendesk.webhook test requests', () => {
  it('answers 200 without a run to a request signed with the public test secret', async () => {
    const body = '{"ticket":{"id":"{{ticket.id}}"}}';
    const res = await deliver(body, { secret: ZENDESK_TEST_SIGNING_SECRET });
    expect(res.handshake).toEqual({ status: 200, body: { ok: true, test: true } });
    expect(res.events).toBeUndefined();
  });

  it('does not treat a stale or foreign test request as one, and can be switched off', async () => {
    const body = '{"ticket":{"id":"1"}}';
    const stale = await deliver(body, { secret: ZENDESK_TEST_SIGNING_SECRET, timestamp: '2026-03-01T00:00:00Z' });
    expect(stale.handshake).toBeUndefined();
    expect(stale.verify?.ok).toBe(false);
    const off = await deliver(body, { secret: ZENDESK_TEST_SIGNING_SECRET, config: { acceptTestRequests: false } });
    expect(off.handshake).toBeUndefined();
    expect(off.verify).toMatchObject({ ok: false, status: 401 });
  });
});

describe('zendesk.webhook event subscriptions', () => {
  it('maps ticket.created to ticket_opened keyed by the event id', async () => {
    const res = await deliver(JSON.stringify(ticketCreated));
    expect(res.events).toEqual([
      {
        dedupeKey: '01HW6Q8ZK1P5A2V8M3N4B5C6D7',
        items: [
          {
            ticket_id: '35436',
            eventType: 'ticket_opened',
            subject: 'Printer on fire',
            status: 'new',
            priority: 'high',
            ticket_channel: 'web_form',
            zendesk_requester_id: '20978392',
            occurredAt: '2026-03-01T08:00:00.000Z',
            raw: ticketCreated,
          },
        ],
      },
    ]);
  });

  it('maps a status change to solved as ticket_solved and others as ticket_updated', async () => {
    const solved = await deliver(JSON.stringify(ticketSolved));
    expect(solved.events?.[0]).toMatchObject({ dedupeKey: ticketSolved.id, items: [{ eventType: 'ticket_solved', status: 'solved', occurredAt: '2026-03-02T09:30:00.000Z' }] });
    const pending = await deliver(JSON.stringify(ticketPending));
    expect(pending.events?.[0]?.items[0]).toMatchObject({ eventType: 'ticket_updated', status: 'pending' });
    const objectForm = await deliver(JSON.stringify({ ...ticketSolved, event: { current: { status: 'closed' } } }));
    expect(objectForm.events?.[0]?.items[0]).toMatchObject({ eventType: 'ticket_solved', status: 'closed' });
  });

  it('refuses a ticket id JSON can only round (a decimal past 2^53), and maps a time past a Date’s range as no time', async () => {
    const rounded = JSON.stringify(ticketCreated).replace('"subject":"zen:ticket:35436"', '"subject":"x"').replace('"id":"35436"', '"id":35436000000000001.0');
    await expect(deliver(rounded)).rejects.toThrow(/names no ticket/);
    const farOff = await deliver(JSON.stringify({ ...ticketCreated, time: 1e21 }));
    expect(farOff.events?.[0]?.items[0]).toMatchObject({ ticket_id: '35436', occurredAt: '2026-03-01T08:00:00.000Z' });
  });

  it('acknowledges unmapped event types and filtered events without a run', async () => {
    expect((await deliver(JSON.stringify(commentAdded))).events).toEqual([]);
    expect((await deliver(JSON.stringify(ticketCreated), { config: { events: ['ticket_solved'] } })).events).toEqual([]);
  });

  it('gives a redelivery the same dedupe key and keeps large ids exact', async () => {
    // As Zendesk writes it: integers a double cannot hold, not rounded by a JSON.stringify.
    const raw = JSON.stringify(ticketCreated).replace('"account_id":12514403', '"account_id":9007199254740993').replace('"requester_id":"20978392"', '"requester_id":123456789012345678901');
    expect(raw).toContain('123456789012345678901');
    const first = await deliver(raw);
    const again = await deliver(raw, { timestamp: '2026-03-02T09:31:00Z' });
    expect(first.events?.[0]?.dedupeKey).toBe(again.events?.[0]?.dedupeKey);
    expect(first.events?.[0]?.items[0]).toMatchObject({ zendesk_requester_id: '123456789012345678901' });
    expect((first.events?.[0]?.items[0]!.raw as { account_id: unknown }).account_id).toBe('9007199254740993');
  });
});

describe('zendesk.webhook trigger bodies', () => {
  it('maps the README template with the requester’s contact details', async () => {
    const res = await deliver(triggerBody);
    expect(res.events).toHaveLength(1);
    const event = res.events![0]!;
    expect(event.dedupeKey).toBe('ticket:35436:2026-03-02T09:30Z:ticket_solved:solved');
    expect(event.items[0]).toEqual({
      ticket_id: '35436',
      eventType: 'ticket_solved',
      subject: 'Printer "LaserJet" on fire',
      status: 'solved',
      priority: 'high',
      ticket_channel: 'web form',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: '+86 139 1234 5670',
      zendesk_requester_id: '20978392',
      occurredAt: '2026-03-02T09:30:00.000Z',
      raw: JSON.parse(triggerBody),
    });
  });

  it('derives the event from the status when the body names none, and drops empty placeholders', async () => {
    const body = JSON.stringify({ ticket_id: '77', updated_at: '2026-03-02T09:29Z', status: 'New', email: '', name: 'Bo', phone: '' });
    const res = await deliver(body);
    expect(res.events?.[0]).toMatchObject({ dedupeKey: 'ticket:77:2026-03-02T09:29Z:ticket_opened:new', items: [{ ticket_id: '77', eventType: 'ticket_opened', name: 'Bo' }] });
    expect(res.events?.[0]?.items[0]).not.toHaveProperty('email');
    const open = await deliver(JSON.stringify({ ticket_id: '77', updated_at: '2026-03-02T09:30Z', status: 'Open' }));
    expect(open.events?.[0]?.items[0]).toMatchObject({ eventType: 'ticket_updated' });
  });

  it('falls back to the invocation id when the body has no updated_at', async () => {
    const res = await deliver(JSON.stringify({ ticket: { id: '77', status: 'open' } }));
    expect(res.events?.[0]?.dedupeKey).toBe('invocation:8350205582');
  });

  it('answers garbage and bodies without a ticket with a PayloadError (400)', async () => {
    await expect(deliver('{"ticket": ')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('[1,2]')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('{"hello":"world"}')).rejects.toThrow(/JSON body template/);
    await expect(deliver('{"ticket":{"id":"{{ticket.id}}"}}')).rejects.toBeInstanceOf(PayloadError);
  });
});
