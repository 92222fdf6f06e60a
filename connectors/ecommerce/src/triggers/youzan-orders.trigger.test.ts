import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions, type WebhookTrigger } from '@tributary/node-sdk';
import { javaUrlEncode, tradeMsg, tradePush, youzanApp } from '../__fixtures__/youzan-payloads.js';
import { youzanOrdersNode, type YouzanOrdersConfig } from './youzan-orders.trigger.js';

const now = new Date('2026-03-02T10:00:00Z');
const config = { connection: 'conn_youzan' };
/** Event-Sign for a hand-written body. */
const sign = (body: string) => createHash('md5').update(`${youzanApp.clientId}${body}${youzanApp.clientSecret}`).digest('hex');

function deliver(body: string, eventSign: string | undefined, opts: Partial<RunWebhookOptions> = {}) {
  return runWebhookTrigger(youzanOrdersNode, {
    config,
    secrets: youzanApp,
    now,
    body,
    ...opts,
    headers: { 'content-type': 'application/json', 'event-type': 'trade_TradeCreate', ...(eventSign ? { 'event-sign': eventSign } : {}), ...opts.headers },
  });
}

describe('youzan.orders verify (REPORTED scheme)', () => {
  it('accepts Event-Sign = md5(client_id + raw body + client_secret)', async () => {
    const { body, eventSign } = tradePush('trade_TradeCreate', 'WAIT_BUYER_PAY');
    expect((await deliver(body, eventSign)).verify).toEqual({ ok: true });
    expect((await deliver(body, eventSign.toUpperCase())).verify).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong secret, a missing sign and another app’s push', async () => {
    const { body, eventSign } = tradePush('trade_TradeCreate', 'WAIT_BUYER_PAY');
    const tampered = await deliver(body.replace('"status":"WAIT_BUYER_PAY"', '"status":"TRADE_PAID"'), eventSign);
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'Event-Sign does not match' });
    expect(tampered.events).toBeUndefined();
    expect((await deliver(body, eventSign, { secrets: { ...youzanApp, clientSecret: 'another0secret0of0some0length' } })).verify).toMatchObject({ ok: false, status: 401 });
    expect((await deliver(body, undefined)).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/missing Event-Sign/) });
    expect((await deliver(body, eventSign, { secrets: {} })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/needs "clientId" and "clientSecret"/) });
    const foreign = tradePush('trade_TradeCreate', 'WAIT_BUYER_PAY', { clientId: 'someoneelse000001' });
    // Signed with our secret but claiming another app id: refused, a numeric one past 2^53 too.
    expect((await deliver(foreign.body, sign(foreign.body))).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/not this connection/) });
    const numeric = body.replace(`"client_id":"${youzanApp.clientId}"`, '"client_id":12345678901234567890.0');
    expect((await deliver(numeric, sign(numeric))).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/not this connection/) });
  });

  it('checks the older body sign over msg only when configured to', async () => {
    const { body } = tradePush('trade_TradePaid', 'WAIT_SELLER_SEND_GOODS', { payTime: '2026-03-02 17:58:30' });
    expect((await deliver(body, undefined, { config: { ...config, signature: 'body-sign' } })).verify).toEqual({ ok: true });
    expect((await deliver(body, undefined, { config: { ...config, signature: 'either' } })).verify).toEqual({ ok: true });
    const badMsg = body.replace('%E7%8E%8B', '%E6%9D%8E');
    expect((await deliver(badMsg, undefined, { config: { ...config, signature: 'body-sign' } })).verify).toMatchObject({ ok: false, reason: 'body sign does not match' });
    expect((await deliver(body, undefined)).verify?.ok).toBe(false);
  });

  it('answers the console’s test push with the ack and no run', async () => {
    const res = await deliver('{"test":true,"client_id":"6cd25b3f99727975b5","msg":""}', undefined);
    expect(res.handshake).toEqual({ status: 200, body: { code: 0, msg: 'success' } });
    expect(res.events).toBeUndefined();
  });
});

describe('youzan.orders map', () => {
  it('maps trade_TradeCreate to order_placed with the buyer, amount and exact ids', async () => {
    const { body, eventSign } = tradePush('trade_TradeCreate', 'WAIT_BUYER_PAY');
    const res = await deliver(body, eventSign);
    expect(res.events).toHaveLength(1);
    const { raw, ...item } = res.events![0]!.items[0]!;
    expect(res.events![0]!.dedupeKey).toBe('order_placed:E20260302175800012345678:WAIT_BUYER_PAY:1772445510');
    expect(item).toEqual({
      order_id: 'E20260302175800012345678',
      eventType: 'order_placed',
      amount: '199.00',
      currency: 'CNY',
      order_status: 'WAIT_BUYER_PAY',
      phone: '13912345670',
      name: '王小明',
      city: '上海市',
      pos_member_id: 'oUz7T1234abcdEFGH',
      youzan_open_id: 'oUz7T1234abcdEFGH',
      youzan_fans_id: '5678901234',
      nickname: '小明 Ming',
      store: '示例小店',
      youzan_kdt_id: '91245678',
      channel: 'youzan',
      line_items: [{ line_item_id: '1234567890123456789', product_id: '987654321', sku_id: '123123', sku: 'TEA-250', title: '有机绿茶 250g', quantity: 1, price: '199.00', payment: '199.00' }],
      occurredAt: '2026-03-02T09:58:00.000Z',
    });
    const msg = (raw as { msg: { full_order_info: { buyer_info: { buyer_id: unknown }; address_info: { delivery_address: string } } } }).msg.full_order_info;
    expect(msg.buyer_info.buyer_id).toBe('12345678901234567890');
    expect(msg.address_info.delivery_address).toBe('世纪大道100号 (A座)');
  });

  it('maps payment to order_paid at the pay time; a repeated push keeps its key', async () => {
    const first = tradePush('trade_TradePaid', 'WAIT_SELLER_SEND_GOODS', { payTime: '2026-03-02 17:58:30', sendCount: 0 });
    const again = tradePush('trade_TradePaid', 'WAIT_SELLER_SEND_GOODS', { payTime: '2026-03-02 17:58:30', sendCount: 1 });
    const a = await deliver(first.body, first.eventSign);
    const b = await deliver(again.body, again.eventSign);
    expect(a.events![0]!.items[0]).toMatchObject({ eventType: 'order_paid', occurredAt: '2026-03-02T09:58:30.000Z' });
    expect(a.events![0]!.dedupeKey).toBe(b.events![0]!.dedupeKey);
    // trade_TradeBuyerPay describes the same payment: one run for both.
    const buyerPay = tradePush('trade_TradeBuyerPay', 'WAIT_SELLER_SEND_GOODS', { payTime: '2026-03-02 17:58:30' });
    expect((await deliver(buyerPay.body, buyerPay.eventSign)).events![0]!.dedupeKey).toBe(a.events![0]!.dedupeKey);
  });

  it('maps close and success, and drops types that are not trades or not selected', async () => {
    const close = tradePush('trade_TradeClose', 'TRADE_CLOSED');
    expect((await deliver(close.body, close.eventSign)).events![0]!.items[0]).toMatchObject({ eventType: 'order_cancelled' });
    const done = tradePush('trade_TradeSuccess', 'TRADE_SUCCESS');
    expect((await deliver(done.body, done.eventSign)).events![0]!.items[0]).toMatchObject({ eventType: 'order_completed' });
    const ship = tradePush('trade_TradeSellerShip', 'WAIT_BUYER_CONFIRM_GOODS');
    expect((await deliver(ship.body, ship.eventSign)).events).toEqual([]);
    const memo = tradePush('trade_TradeMemoModified', 'WAIT_SELLER_SEND_GOODS');
    expect((await deliver(memo.body, memo.eventSign)).events).toEqual([]);
    expect((youzanOrdersNode.trigger as WebhookTrigger<YouzanOrdersConfig>).respond!({ runIds: [], duplicates: 0 }, {} as never)).toEqual({ status: 200, body: { code: 0, msg: 'success' } });
  });

  it('answers garbage, a missing msg and an undecodable msg with a PayloadError', async () => {
    await expect(deliver('{"type": ', sign('{"type": '))).rejects.toBeInstanceOf(PayloadError);
    const noMsg = '{"client_id":"6cd25b3f99727975b5","type":"trade_TradeCreate","id":"E1","status":"WAIT_BUYER_PAY"}';
    await expect(deliver(noMsg, sign(noMsg))).rejects.toThrow(/no msg/);
    const badMsg = `{"client_id":"6cd25b3f99727975b5","type":"trade_TradeCreate","id":"E1","msg":"${javaUrlEncode(tradeMsg('X').slice(0, 40))}"}`;
    await expect(deliver(badMsg, sign(badMsg))).rejects.toThrow(/not JSON/);
    const badEncoding = '{"client_id":"6cd25b3f99727975b5","type":"trade_TradeCreate","id":"E1","msg":"%E4%ZZ"}';
    await expect(deliver(badEncoding, sign(badEncoding))).rejects.toThrow(/not URL-encoded/);
  });
});
