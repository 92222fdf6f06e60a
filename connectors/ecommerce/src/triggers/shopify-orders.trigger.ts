import { defineNode, hmac, header, isPlainObject, PayloadError, safeEqual, text, type VerifyResult, parseJsonBody } from '@tributary/node-sdk';
import { SHOPIFY_TOPICS, shopifyId, shopifyOrderItem, shopifyRefundItem } from './shopify-order.mapper.js';
import { shopifyOrdersTriggerLocales } from './shopify-orders.trigger.locale.js';

export interface ShopifyOrdersConfig {
  connection: string;
  topics: string[];
}

const deny = (reason: string): VerifyResult => ({ ok: false, reason, status: 401 });

/** base64(HMAC-SHA256(secret, raw body)): Shopify's X-Shopify-Hmac-Sha256. */
export const shopifyHmac = (secret: string, rawBody: Buffer | string) => hmac('sha256', secret, rawBody, 'base64');

export const shopifyOrdersTrigger = defineNode<ShopifyOrdersConfig>({
  id: 'shopify.orders',
  version: 1,
  title: 'Shopify orders',
  description:
    'Starts a run for each Shopify order webhook (orders/create, orders/paid, orders/updated, orders/cancelled, refunds/create), checking X-Shopify-Hmac-Sha256 on the raw body. Emits order_id (exact, as text), eventType (order_placed, order_paid, order_updated, order_cancelled, order_refunded), amount as a decimal string, currency, the customer’s email, phone and name, the shipping city, line_items and occurredAt.',
  category: 'trigger',
  locales: shopifyOrdersTriggerLocales,
  icon: 'shopping-bag',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'shopify', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A shopify connection holding the webhook signing `secret`.' },
      topics: {
        type: 'array',
        items: { type: 'string', enum: Object.keys(SHOPIFY_TOPICS) },
        minItems: 1,
        uniqueItems: true,
        default: Object.keys(SHOPIFY_TOPICS),
        title: 'Topics',
        description: 'Webhook topics that start a run; deliveries of other topics are acknowledged (200) and dropped.',
      },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_shopify', topics: Object.keys(SHOPIFY_TOPICS) },
    input: [
      {
        order_id: '820982911946154508',
        order_name: '#9999',
        eventType: 'order_placed',
        amount: '403.00',
        currency: 'USD',
        email: 'jon@example.com',
        name: 'John Smith',
        city: 'Shippington',
        store: 'example.myshopify.com',
        line_items: [{ line_item_id: '866550311766439020', sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, price: '199.00' }],
        occurredAt: '2026-03-02T09:58:00.000Z',
        raw: {},
      },
    ],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      const secret = ctx.secrets?.secret;
      if (!secret) return deny(`connection ${ctx.config.connection} has no "secret"; Shopify deliveries cannot be verified without it`);
      const signature = header(req, 'x-shopify-hmac-sha256')?.trim();
      if (!signature) return deny('missing X-Shopify-Hmac-Sha256 header (Shopify only signs HTTPS deliveries)');
      if (!safeEqual(signature, shopifyHmac(secret, req.rawBody))) return deny('signature does not match');
      // Shopify's own library treats a signed delivery without its topic as invalid.
      if (!header(req, 'x-shopify-topic')?.trim()) return deny('missing X-Shopify-Topic header');
      return { ok: true };
    },
    decode(req) {
      const body = parseJsonBody(req.rawBody, 'Shopify webhook');
      if (!isPlainObject(body)) throw new PayloadError('Shopify webhook: the body must be a JSON object');
      return body;
    },
    map(payload, req, ctx) {
      const resource = payload as Record<string, unknown>;
      const topic = header(req, 'x-shopify-topic')!.trim().toLowerCase();
      const eventType = SHOPIFY_TOPICS[topic];
      if (!eventType || !ctx.config.topics.includes(topic)) {
        ctx.log.debug('shopify topic not mapped; acknowledged without a run', { topic });
        return [];
      }
      const meta = { shop: header(req, 'x-shopify-shop-domain')?.trim() || undefined, triggeredAt: header(req, 'x-shopify-triggered-at')?.trim() || undefined, now: ctx.now() };
      const item = topic === 'refunds/create' ? shopifyRefundItem(resource, meta) : shopifyOrderItem(resource, eventType, meta);
      if (item.order_id === undefined) throw new PayloadError(`Shopify ${topic} delivery names no order`);
      // Retries of one delivery keep X-Shopify-Webhook-Id; X-Shopify-Event-Id is shared by every subscription to the event.
      const dedupeKey =
        header(req, 'x-shopify-webhook-id')?.trim() ||
        header(req, 'x-shopify-event-id')?.trim() ||
        `${topic}:${shopifyId(resource) ?? ''}:${text(resource.updated_at) ?? text(resource.created_at) ?? ''}`;
      return [{ dedupeKey, items: [item] }];
    },
    // Any 2xx counts as delivered for Shopify; it gives up after 5 s, and the delivery is stored by then.
    respond: () => ({ status: 200, body: { ok: true } }),
  },
});
