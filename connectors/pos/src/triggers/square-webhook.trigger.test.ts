import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { customerCreated, orderUpdatedCompleted, orderWithLines, paymentCreatedApproved, paymentJpy, paymentUpdated, squareBody, squareNotificationUrl, squareSignatureKey } from '../__fixtures__/square-events.js';
import { squareRejections, squareVector } from '../__fixtures__/square-vectors.js';
import { squareWebhookTrigger } from './square-webhook.trigger.js';

const now = new Date('2025-06-01T08:00:05Z');
const config = { connection: 'conn_square', notificationUrl: squareNotificationUrl };
// Signed here with node:crypto, independently of the code under test.
const sign = (body: string, key = squareSignatureKey, url = squareNotificationUrl) => createHmac('sha256', key).update(url + body).digest('base64');
const deliver = (body: string, opts: Partial<RunWebhookOptions> = {}, cfg: Record<string, unknown> = config) =>
  runWebhookTrigger(squareWebhookTrigger, { config: cfg, now, secrets: { signatureKey: squareSignatureKey }, headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': sign(body) }, body, ...opts });

describe('square.webhook verify', () => {
  it('accepts Square’s official vector and acknowledges the test notification without a run', async () => {
    const res = await deliver(squareVector.body, { secrets: { signatureKey: squareVector.signatureKey }, headers: { 'x-square-hmacsha256-signature': squareVector.signature } }, { ...config, notificationUrl: squareVector.notificationUrl });
    expect(res.verify).toEqual({ ok: true });
    expect(res.events).toEqual([]);
    const t = squareWebhookTrigger.trigger;
    const respond = t?.kind === 'webhook' ? t.respond : undefined;
    expect(respond!({ runIds: [], duplicates: 0 }, {} as never)).toMatchObject({ status: 200 });
  });

  it('refuses the vector’s rejection cases: URL off by one, wrong key, wrong header, changed or pretty-printed body', async () => {
    const vectorCfg = { ...config, notificationUrl: squareVector.notificationUrl };
    const vectorOpts = { secrets: { signatureKey: squareVector.signatureKey }, headers: { 'x-square-hmacsha256-signature': squareVector.signature } };
    expect((await deliver(squareVector.body, vectorOpts, { ...config, notificationUrl: squareRejections.urlOffByOne })).verify?.ok).toBe(false);
    expect((await deliver(squareVector.body, { ...vectorOpts, secrets: { signatureKey: squareRejections.wrongKey } }, vectorCfg)).verify?.ok).toBe(false);
    expect((await deliver(squareVector.body, { ...vectorOpts, headers: { 'x-square-hmacsha256-signature': squareRejections.wrongHeader } }, vectorCfg)).verify?.ok).toBe(false);
    expect((await deliver(squareRejections.changedCreatedAt, vectorOpts, vectorCfg)).verify?.ok).toBe(false);
    const pretty = await deliver(squareRejections.prettyPrinted, vectorOpts, vectorCfg);
    expect(pretty.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/does not match/) });
    expect(pretty.events).toBeUndefined();
  });

  it('refuses a missing header, a tampered body and a connection without signatureKey', async () => {
    const body = squareBody(paymentUpdated);
    expect((await deliver(body, { headers: { 'content-type': 'application/json' } })).verify).toEqual({ ok: false, status: 401, reason: 'missing x-square-hmacsha256-signature header' });
    expect((await deliver(body.replace('1250', '125000'), { headers: { 'x-square-hmacsha256-signature': sign(body) } })).verify?.ok).toBe(false);
    expect((await deliver(body, { secrets: {} })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/no "signatureKey"/) });
  });

  it('requires notificationUrl in the config', async () => {
    await expect(deliver('{}', {}, { connection: 'conn_square' })).rejects.toThrow(/notificationUrl/);
  });
});

describe('square.webhook map', () => {
  it('maps a completed payment to a pos_purchase keyed by event_id', async () => {
    const res = await deliver(squareBody(paymentUpdated));
    expect(res.events).toHaveLength(1);
    expect(res.events![0]!.dedupeKey).toBe('6a8f5f28-54a1-4eb0-a98a-3111513fd4fc');
    expect(res.events![0]!.items).toEqual([
      {
        eventType: 'pos_purchase',
        occurredAt: '2025-06-01T08:00:02.577Z',
        channel: 'square',
        store: 'L1V7K3X8Q2ZNB',
        order_id: 'CAISENgvlJ6jLWAzERDzjyHVybY',
        payment_id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
        status: 'COMPLETED',
        amount: '12.50',
        currency: 'USD',
        pos_member_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
        email: 'amelia.earhart@example.com',
        receipt_number: 'KkAk',
        raw: paymentUpdated,
      },
    ]);
  });

  it('uses the currency’s minor unit and the member id prefix', async () => {
    const res = await deliver(squareBody(paymentJpy), {}, { ...config, memberIdPrefix: 'square:' });
    expect(res.events![0]!.items[0]).toMatchObject({ amount: '3200', currency: 'JPY' });
    expect(res.events![0]!.items[0]).not.toHaveProperty('pos_member_id');
    const prefixed = await deliver(squareBody(paymentUpdated), {}, { ...config, memberIdPrefix: 'square:' });
    expect(prefixed.events![0]!.items[0]!.pos_member_id).toBe('square:JDKYHBWT1D4F8MFH63DBMEN8Y4');
  });

  it('acknowledges payments that are not completed without a run, unless told otherwise', async () => {
    expect((await deliver(squareBody(paymentCreatedApproved))).events).toEqual([]);
    const all = await deliver(squareBody(paymentCreatedApproved), {}, { ...config, completedOnly: false });
    expect(all.events![0]!.items[0]).toMatchObject({ eventType: 'pos_purchase', status: 'APPROVED' });
  });

  it('maps order notifications, with line items when the order is attached', async () => {
    const summary = await deliver(squareBody(orderUpdatedCompleted));
    expect(summary.events![0]!.items[0]).toMatchObject({ eventType: 'pos_purchase', order_id: 'CAISENgvlJ6jLWAzERDzjyHVybY', store: 'L1V7K3X8Q2ZNB', status: 'COMPLETED', occurredAt: '2025-06-01T08:00:03.000Z' });
    const full = await deliver(squareBody(orderWithLines));
    expect(full.events![0]!.items[0]).toMatchObject({
      amount: '10.50',
      currency: 'USD',
      pos_member_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
      occurredAt: '2025-06-01T08:00:02.000Z',
      items: [
        { name: 'Flat White', quantity: '2', amount: '9.00', currency: 'USD', sku: 'QW2Z5ZLSQ4D5F3K5JF3V5X4F', variation: 'Large' },
        { name: 'Croissant', quantity: '1', amount: '1.50', currency: 'USD' },
      ],
    });
  });

  it('maps customer.created to a member item with phone and e-mail', async () => {
    const res = await deliver(squareBody(customerCreated));
    expect(res.events![0]!.dedupeKey).toBe('e2a9c4a4-2a67-4c39-9a47-5f4e0e6e1234');
    expect(res.events![0]!.items[0]).toMatchObject({
      eventType: 'pos_member_created',
      pos_member_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
      phone: '+1-212-555-4240',
      email: 'Amelia.Earhart@example.com',
      name: 'Amelia Earhart',
      company: 'Lockheed',
      city: 'New York',
      channel: 'square',
    });
  });

  it('gives a redelivery the same dedupe key', async () => {
    const a = await deliver(squareBody(paymentUpdated));
    const b = await deliver(squareBody(paymentUpdated));
    expect(b.events![0]!.dedupeKey).toBe(a.events![0]!.dedupeKey);
  });

  it('answers garbage with a PayloadError', async () => {
    for (const body of ['{"type":', '[]', '{"event_id":"x"}']) await expect(deliver(body)).rejects.toThrow(PayloadError);
  });
});
