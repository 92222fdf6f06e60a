import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { orderCancelledBody, orderCreateBody, refundCreateBody, shopifySecret } from '../__fixtures__/shopify-payloads.js';
import { shopifyHmac, shopifyOrdersTrigger } from './shopify-orders.trigger.js';

const now = new Date('2026-03-02T10:00:00Z');

// Each mutated body is signed again; without X-Shopify-Webhook-Id the dedupe key is built from the resource too.
const deliver = (body: string, topic: string) =>
  runWebhookTrigger(shopifyOrdersTrigger, {
    config: { connection: 'conn_shopify' },
    secrets: { secret: shopifySecret },
    now,
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': shopifyHmac(shopifySecret, body),
      'x-shopify-shop-domain': 'example.myshopify.com',
      'x-shopify-triggered-at': '2026-03-02T09:58:01.123456789Z',
    },
  });

describe('shopify.orders type confusion', () => {
  it.each([
    ['orders/create', orderCreateBody],
    ['orders/paid', orderCreateBody],
    ['orders/cancelled', orderCancelledBody],
    ['refunds/create', refundCreateBody],
  ])('maps or refuses with a PayloadError a signed %s delivery with any one value of another type', async (topic, body) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger(`shopify.orders ${topic}`, cases, (c) => deliver(fuzzJson(c.doc), topic));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(700);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
