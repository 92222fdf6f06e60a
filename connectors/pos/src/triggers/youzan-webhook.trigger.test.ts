import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { youzanClientId, youzanClientSecret, youzanCustomerBody, youzanTradeCreateBody, youzanTradePaid, youzanTradePaidBody } from '../__fixtures__/youzan-pushes.js';
import { youzanWebhookTrigger } from './youzan-webhook.trigger.js';

const now = new Date('2025-06-01T02:18:00Z');
const config = { connection: 'conn_youzan' };
const secrets = { clientId: youzanClientId, clientSecret: youzanClientSecret };
// The reported rule, computed here independently of the code under test.
const sign = (body: string, secret = youzanClientSecret) => createHash('md5').update(youzanClientId + body + secret, 'utf8').digest('hex');
const deliver = (body: string, opts: Partial<RunWebhookOptions> = {}, cfg: Record<string, unknown> = config) =>
  runWebhookTrigger(youzanWebhookTrigger, { config: cfg, now, secrets, headers: { 'content-type': 'application/json', 'event-sign': sign(body), 'event-type': 'trade_TradePaid', 'client-id': youzanClientId }, body, ...opts });

describe('youzan.webhook verify', () => {
  it('accepts a push with a correct Event-Sign', async () => {
    expect((await deliver(youzanTradePaidBody)).verify).toEqual({ ok: true });
  });

  it('refuses a tampered body, another secret, a missing header or missing credentials', async () => {
    const tampered = await deliver(youzanTradePaidBody.replace('"mode":1', '"mode":2'), { headers: { 'event-sign': sign(youzanTradePaidBody) } });
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'Event-Sign does not match' });
    expect(tampered.events).toBeUndefined();
    expect((await deliver(youzanTradePaidBody, { headers: { 'event-sign': sign(youzanTradePaidBody, 'x') } })).verify?.ok).toBe(false);
    expect((await deliver(youzanTradePaidBody, { headers: { 'content-type': 'application/json' } })).verify).toMatchObject({ ok: false, reason: 'missing Event-Sign header' });
    expect((await deliver(youzanTradePaidBody, { secrets: { clientId: youzanClientId } })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/clientSecret/) });
  });
});

describe('youzan.webhook map', () => {
  it('decodes msg and maps a paid retail order to a pos_purchase with exact ids', async () => {
    const res = await deliver(youzanTradePaidBody);
    expect(res.events).toHaveLength(1);
    const [event] = res.events!;
    expect(event!.dedupeKey).toBe('youzan:trade_TradePaid:E20250601101734022600020:TRADE_PAID:1748744266');
    expect(event!.items[0]).toMatchObject({
      eventType: 'pos_purchase',
      occurredAt: '2025-06-01T02:17:45.000Z',
      channel: 'youzan',
      order_id: 'E20250601101734022600020',
      status: 'TRADE_PAID',
      amount: '128.00',
      currency: 'CNY',
      store: '56012',
      store_name: '示例咖啡',
      phone: '13912345670',
      pos_member_id: 'kR9sGq2Lz8xY0wPm',
      items: [
        { name: '冷萃咖啡 500ml', quantity: '2', amount: '58.00', sku: 'CB-500', item_id: '2147483647', oid: '1472319870133616259' },
        { name: '可颂', quantity: '1', amount: '18.00', sku: '0', item_id: '2147483646', oid: '1472319870133616260' },
      ],
    });
    const raw = event!.items[0]!.raw as { msg: { full_order_info: { order_info: { tid: string } } } };
    expect(raw.msg.full_order_info.order_info.tid).toBe('E20250601101734022600020');
  });

  it('maps an online order creation to order_placed, keeping a + in the phone', async () => {
    const res = await deliver(youzanTradeCreateBody);
    expect(res.events![0]!.items[0]).toMatchObject({ eventType: 'order_placed', status: 'WAIT_BUYER_PAY', phone: '+8613912345670', store: '41461398', occurredAt: '2025-06-01T02:17:46.000Z' });
    expect(res.events![0]!.items[0]).not.toHaveProperty('pos_member_id');
  });

  it('maps a customer push to a member item', async () => {
    const res = await deliver(youzanCustomerBody, {}, { ...config, memberIdPrefix: 'youzan:' });
    expect(res.events![0]!.items[0]).toMatchObject({ eventType: 'pos_member_updated', pos_member_id: 'youzan:kR9sGq2Lz8xY0wPm', phone: '13912345670', name: '王小二', occurredAt: '2025-06-01T02:20:00.000Z' });
  });

  it('acknowledges test pushes and unknown types without a run; a redelivery keeps its key', async () => {
    const test = JSON.stringify({ ...youzanTradePaid, test: true });
    expect((await deliver(test)).events).toEqual([]);
    expect((await deliver(test, {}, { ...config, includeTestPushes: true })).events).toHaveLength(1);
    const other = JSON.stringify({ ...youzanTradePaid, type: 'ITEM_STATE', msg: '%7B%7D' });
    expect((await deliver(other)).events).toEqual([]);
    const again = JSON.stringify({ ...youzanTradePaid, sendCount: 1 });
    expect((await deliver(again)).events![0]!.dedupeKey).toBe((await deliver(youzanTradePaidBody)).events![0]!.dedupeKey);
  });

  it('keeps a push id JSON can only round (a decimal past 2^53) out of the dedupe key, and a pay time past a Date’s range out of the item', async () => {
    const body = youzanTradePaidBody.replace('"id":"E20250601101734022600020"', '"id":12345678901234567890.0').replace('pay_time%22:%222025-06-01%2010:17:45%22', 'pay_time%22:1e21');
    expect(body).not.toBe(youzanTradePaidBody);
    const [event] = (await deliver(body)).events!;
    expect(event!.dedupeKey).toBe('youzan:trade_TradePaid::TRADE_PAID:1748744266');
    expect(event!.items[0]).toMatchObject({ order_id: 'E20250601101734022600020', occurredAt: '2025-06-01T02:17:46.000Z' });
  });

  it('answers with {"code":0,"msg":"success"}', () => {
    const t = youzanWebhookTrigger.trigger;
    expect(t?.kind === 'webhook' ? t.respond!({ runIds: ['r'], duplicates: 1 }, {} as never) : undefined).toEqual({ status: 200, body: { code: 0, msg: 'success' } });
  });

  it('answers garbage with a PayloadError', async () => {
    for (const body of ['{"type":', '{"id":"x"}', JSON.stringify({ type: 'trade_TradePaid', msg: '%E0%A4%A' }), JSON.stringify({ type: 'trade_TradePaid', msg: '%7Bnot json' })]) {
      await expect(deliver(body)).rejects.toThrow(PayloadError);
    }
  });
});
