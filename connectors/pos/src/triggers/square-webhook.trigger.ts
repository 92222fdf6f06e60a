import { defineNode, header, isPlainObject, PayloadError, type TriggerEvent, type VerifyResult, parseJsonLossless } from '@tributary/node-sdk';
import { mapSquareEvent } from '../mapping/square-event.mapper.js';
import { verifySquareSignature } from '../sign/square-signature.util.js';
import { squareWebhookTriggerLocales } from './square-webhook.trigger.locale.js';

export interface SquareWebhookConfig {
  connection: string;
  notificationUrl: string;
  completedOnly: boolean;
  memberIdPrefix: string;
}

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

export const squareWebhookTrigger = defineNode<SquareWebhookConfig>({
  id: 'square.webhook',
  version: 1,
  title: 'Square webhook',
  description:
    'Receives Square webhook notifications, checks x-square-hmacsha256-signature (HMAC-SHA256 of the notification URL plus the raw body with the subscription’s signature key), and emits payment.created/updated and order.* as pos_purchase items (amount, currency, store, pos_member_id) and customer.created/updated as member items (phone, email, name). Deduplicated on event_id.',
  category: 'trigger',
  locales: squareWebhookTriggerLocales,
  icon: 'store',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'square', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `square` connection holding the subscription’s `signatureKey`.' },
      notificationUrl: {
        type: 'string',
        pattern: '^https?://',
        minLength: 8,
        title: 'Notification URL',
        description: 'The URL exactly as entered in the Square subscription (Square signs it with the body): `https://<your host>/hooks/<flowId>/<nodeId>`. Never derived from the request, so a proxy cannot change it.',
      },
      completedOnly: { type: 'boolean', default: true, title: 'Completed only', description: 'Only COMPLETED payments and orders become purchases; other states are acknowledged without a run.' },
      memberIdPrefix: { type: 'string', maxLength: 20, default: '', title: 'Member id prefix', description: 'Prepended to Square customer ids in pos_member_id (e.g. `square:`) when several POS systems feed one customer store.' },
    },
    required: ['connection', 'notificationUrl'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_square', notificationUrl: 'https://crm.example.com/hooks/pos-purchases/square', completedOnly: true, memberIdPrefix: '' },
    input: [{ eventType: 'pos_purchase', occurredAt: '2025-06-01T08:00:00.000Z', channel: 'square', store: 'L1V7K3X8Q2', order_id: 'CAISENgvlJ6jLWAzERDzjyHVybY', amount: '12.50', currency: 'USD', pos_member_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4', raw: {} }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      const key = ctx.secrets?.signatureKey;
      if (!key) return deny(`connection ${ctx.config.connection} has no "signatureKey"; copy it from the Square webhook subscription`);
      const given = header(req, 'x-square-hmacsha256-signature');
      if (!given?.trim()) return deny('missing x-square-hmacsha256-signature header');
      // No signed timestamp: a replay is caught by event_id instead.
      return verifySquareSignature(given, key, ctx.config.notificationUrl, req.rawBody)
        ? { ok: true }
        : deny('x-square-hmacsha256-signature does not match (check the signature key and that notificationUrl is exactly the subscription URL)');
    },
    decode(req) {
      const payload = parseJsonLossless(req.rawBody.toString('utf8'));
      if (!isPlainObject(payload) || typeof payload.type !== 'string') throw new PayloadError('Square notification must be a JSON object with a "type"');
      return payload;
    },
    map(payload, _req, ctx): TriggerEvent[] {
      const event = payload as Record<string, unknown>;
      const items = mapSquareEvent(event, ctx.config);
      if (items.length === 0) {
        ctx.log.debug('square notification acknowledged without a run', { type: event.type });
        return [];
      }
      return [{ dedupeKey: typeof event.event_id === 'string' ? event.event_id : undefined, items }];
    },
    // Square only needs a 2xx, quickly.
    respond: () => ({ status: 200, body: { ok: true } }),
  },
});
