import { describe, expect, it } from '@jest/globals';
import { compileNodeConfig, PayloadError, runWebhookTrigger, silentLogger, type RunWebhookOptions, type WebhookTrigger } from '@tributary/node-sdk';
import { shopifyVectors } from '../__fixtures__/shopify-vectors.js';
import { orderCancelledBody, orderCreateBody, refundCreateBody, shopifySecret } from '../__fixtures__/shopify-payloads.js';
import { shopifyHmac, shopifyOrdersTrigger, type ShopifyOrdersConfig } from './shopify-orders.trigger.js';

const now = new Date('2026-03-02T10:00:00Z');
const config = { connection: 'conn_shopify' };

function deliver(body: string, topic: string, opts: Partial<RunWebhookOptions> & { headers?: Record<string, string | undefined> } = {}) {
  return runWebhookTrigger(shopifyOrdersTrigger, {
    config,
    secrets: { secret: shopifySecret },
    now,
    body,
    ...opts,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': shopifyHmac(shopifySecret, body),
      'x-shopify-shop-domain': 'example.myshopify.com',
      'x-shopify-api-version': '2025-07',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
      'x-shopify-triggered-at': '2026-03-02T09:58:01.123456789Z',
      ...opts.headers,
    },
  });
}

describe('shopify.orders verify', () => {
  it('passes Shopify’s own PHP and JS library vectors and rejects them re-serialised or with another secret', async () => {
    const wh = shopifyOrdersTrigger.trigger as WebhookTrigger<ShopifyOrdersConfig>;
    const cfg = compileNodeConfig(shopifyOrdersTrigger, config);
    const ctx = (secret: string) => ({ config: cfg, secrets: { secret }, node: { id: 'n', type: 'shopify.orders', version: 1 }, flow: { id: 'f', version: 1, name: 'f' }, log: silentLogger, now: () => now });
    const req = (body: string, hmac: string) => ({ method: 'POST', headers: { 'x-shopify-hmac-sha256': hmac, 'x-shopify-topic': 'orders/create' }, query: {}, rawBody: Buffer.from(body), url: 'https://t.test/h' });
    for (const v of shopifyVectors) {
      expect(shopifyHmac(v.secret, v.body)).toBe(v.hmac);
      expect(await wh.verify(req(v.body, v.hmac), ctx(v.secret))).toEqual({ ok: true });
      expect(await wh.verify(req(v.body, v.hmac), ctx('not-the-secret'))).toMatchObject({ ok: false, status: 401 });
    }
    // The JS vector signs {"foo": "bar"}; the same JSON without the space is another body.
    expect(await wh.verify(req('{"foo":"bar"}', shopifyVectors[1].hmac), ctx(shopifyVectors[1].secret))).toMatchObject({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a tampered body, a wrong secret, missing headers and a missing connection secret with 401', async () => {
    const tampered = await deliver(orderCreateBody.replace('403.00', '0.01'), 'orders/create', { headers: { 'x-shopify-hmac-sha256': shopifyHmac(shopifySecret, orderCreateBody) } });
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'signature does not match' });
    expect(tampered.events).toBeUndefined();
    expect((await deliver(orderCreateBody, 'orders/create', { secrets: { secret: 'shpss_00000000000000000000000000000000' } })).verify).toMatchObject({ ok: false, status: 401 });
    expect((await deliver(orderCreateBody, 'orders/create', { headers: { 'x-shopify-hmac-sha256': undefined } })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/missing X-Shopify-Hmac-Sha256/) });
    expect((await deliver(orderCreateBody, '', {})).verify).toMatchObject({ ok: false, reason: 'missing X-Shopify-Topic header' });
    expect((await deliver(orderCreateBody, 'orders/create', { secrets: {} })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/no "secret"/) });
  });
});

describe('shopify.orders map', () => {
  it('maps orders/create with exact ids, a decimal amount and the customer', async () => {
    const res = await deliver(orderCreateBody, 'orders/create');
    expect(res.events).toHaveLength(1);
    const [event] = res.events!;
    expect(event!.dedupeKey).toBe('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    const { raw, ...item } = event!.items[0]!;
    expect(item).toEqual({
      order_id: '820982911946154508',
      order_name: '#9999',
      eventType: 'order_placed',
      amount: '403.00',
      currency: 'USD',
      financial_status: 'pending',
      email: 'jon@example.com',
      phone: '+8613912345670',
      name: 'John Smith',
      city: 'Shippington',
      shopify_customer_id: '115310627314723954',
      store: 'example.myshopify.com',
      channel: 'shopify',
      line_items: [
        { line_item_id: '866550311766439020', product_id: '632910392', variant_id: '808950810', sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, price: '199.00' },
        { line_item_id: '141249953214522974', product_id: '632910392', variant_id: '808950810', sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, price: '199.00' },
      ],
      occurredAt: '2026-03-02T09:58:00.000Z',
    });
    // The original payload keeps every id exact too.
    expect((raw as { id: unknown }).id).toBe('820982911946154508');
    expect((raw as { shipping_lines: { id: unknown }[] }).shipping_lines[0]!.id).toBe('271878346596884015');
  });

  it('maps paid, updated and cancelled orders', async () => {
    const paid = await deliver(orderCreateBody.replace('"financial_status":"pending"', '"financial_status":"paid"'), 'orders/paid');
    expect(paid.events![0]!.items[0]).toMatchObject({ eventType: 'order_paid', financial_status: 'paid', occurredAt: '2026-03-02T09:58:01.123Z' });
    const updated = await deliver(orderCreateBody, 'orders/updated');
    expect(updated.events![0]!.items[0]).toMatchObject({ eventType: 'order_updated' });
    const cancelled = await deliver(orderCancelledBody, 'orders/cancelled');
    expect(cancelled.events![0]!.items[0]).toMatchObject({ eventType: 'order_cancelled', amount: '403.00', occurredAt: '2026-03-02T11:00:00.000Z' });
  });

  it('maps refunds/create with the exact sum of its successful refund transactions', async () => {
    const res = await deliver(refundCreateBody, 'refunds/create');
    const { raw: _raw, ...item } = res.events![0]!.items[0]!;
    expect(item).toEqual({
      order_id: '820982911946154508',
      refund_id: '509562969',
      eventType: 'order_refunded',
      amount: '199.30',
      currency: 'USD',
      store: 'example.myshopify.com',
      channel: 'shopify',
      line_items: [{ line_item_id: '866550311766439020', sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, subtotal: '199.00' }],
      occurredAt: '2026-03-03T02:00:00.000Z',
    });
  });

  it('gives a redelivery the same key, falling back to the event id and then the resource', async () => {
    const a = await deliver(orderCreateBody, 'orders/create');
    const b = await deliver(orderCreateBody, 'orders/create', { now: new Date('2026-03-02T12:00:00Z') });
    expect(a.events![0]!.dedupeKey).toBe(b.events![0]!.dedupeKey);
    const byEvent = await deliver(orderCreateBody, 'orders/create', { headers: { 'x-shopify-webhook-id': undefined } });
    expect(byEvent.events![0]!.dedupeKey).toBe('98880550-7158-44d4-b7cd-2c97c8a091b5');
    const byResource = await deliver(orderCreateBody, 'orders/create', { headers: { 'x-shopify-webhook-id': undefined, 'x-shopify-event-id': undefined } });
    expect(byResource.events![0]!.dedupeKey).toBe('orders/create:820982911946154508:2026-03-02T17:58:00+08:00');
  });

  it('acknowledges other topics and unselected ones without a run, and answers 200', async () => {
    expect((await deliver('{"id":706405506930370084}', 'customers/create')).events).toEqual([]);
    expect((await deliver(orderCreateBody, 'orders/updated', { config: { ...config, topics: ['orders/create'] } })).events).toEqual([]);
    expect((shopifyOrdersTrigger.trigger as WebhookTrigger<ShopifyOrdersConfig>).respond!({ runIds: [], duplicates: 1 }, {} as never)).toEqual({ status: 200, body: { ok: true } });
  });

  it('falls back to the delivery time when created_at is a number past a Date’s range, instead of failing with a 500', async () => {
    const body = orderCreateBody.replace('"created_at":"2026-03-02T17:58:00+08:00"', '"created_at":1e21');
    expect((await deliver(body, 'orders/create')).events![0]!.items[0]).toMatchObject({ order_id: '820982911946154508', occurredAt: '2026-03-02T09:58:01.123Z' });
  });

  it('refuses an order id JSON can only round (a decimal past 2^53) instead of running with wrong digits', async () => {
    const body = orderCreateBody.replace('{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508",', '{"id":820982911946154509.0,');
    await expect(deliver(body, 'orders/create')).rejects.toThrow(/names no order/);
  });

  it('answers garbage and orderless bodies with a PayloadError (400)', async () => {
    await expect(deliver('{"id": 1,', 'orders/create')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('[]', 'orders/create')).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver('{"note":"no id"}', 'orders/create')).rejects.toThrow(/names no order/);
  });
});
