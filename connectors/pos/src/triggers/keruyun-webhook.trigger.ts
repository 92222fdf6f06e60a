import { randomUUID } from 'node:crypto';
import { checkTimestamp, defineNode, isPlainObject, PayloadError, type TriggerEvent, type VerifyResult, parseJsonLossless } from '@tributary/node-sdk';
import { mapKeruyunPush } from '../mapping/keruyun-push.mapper.js';
import { keruyunSignsBody, verifyKeruyunSign } from '../sign/keruyun-sign.util.js';
import { keruyunWebhookTriggerLocales } from './keruyun-webhook.trigger.locale.js';

export interface KeruyunWebhookConfig {
  connection: string;
  toleranceSeconds: number;
  amountUnit: 'yuan' | 'fen';
  memberIdPrefix: string;
  fieldMap?: Record<string, string | string[]>;
}

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

/** The answer Keruyun's 上行 pushes expect; anything else and Keruyun stops pushing. */
export const keruyunAck = () => ({ code: 0, message: '成功[OK]', messageUuid: randomUUID() });

export const keruyunWebhookTrigger = defineNode<KeruyunWebhookConfig>({
  id: 'keruyun.webhook',
  version: 1,
  title: '客如云 push',
  description:
    'Receives Keruyun (客如云) 上行 pushes (orders, members), checks the SHA-256 `sign` of the public query parameters and the partner token (rule v2 also covers the body) and the 300 s timestamp window, and emits orders as pos_purchase items (amount, store, pos_member_id, phone, items) and member pushes as member items. Answers with Keruyun’s success JSON.',
  category: 'trigger',
  locales: keruyunWebhookTriggerLocales,
  icon: 'store',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'keruyun', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `keruyun` connection holding the partner `token` (and optionally your `appKey`).' },
      toleranceSeconds: { type: 'integer', minimum: 0, default: 300, title: 'Timestamp tolerance (seconds)', description: 'How far the signed `timestamp` may be from now (Keruyun: 300 s); 0 disables the window.' },
      amountUnit: { type: 'string', enum: ['yuan', 'fen'], default: 'yuan', title: 'Amount unit', description: 'Whether the push’s amounts are in 元 (12.5) or 分 (1250); `amount` is always a decimal string in 元.' },
      memberIdPrefix: { type: 'string', maxLength: 20, default: '', title: 'Member id prefix', description: 'Prepended to Keruyun customer ids in pos_member_id (e.g. `keruyun:`) when several POS systems feed one customer store.' },
      fieldMap: {
        type: 'object',
        title: 'Field map',
        description: 'Item field → dot path(s) in the push body, first present wins, e.g. `{"phone": "customer.mobile", "amount": "trade.receivedAmount"}`. Overrides the defaults (orderId, customerId, mobile, tradeAmount, shopIdenty, …); other names add fields.',
        propertyNames: { minLength: 1, maxLength: 100 },
        additionalProperties: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] },
      },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_keruyun', toleranceSeconds: 300, amountUnit: 'yuan', memberIdPrefix: '' },
    input: [{ eventType: 'pos_purchase', occurredAt: '2025-06-01T04:00:00.000Z', channel: 'keruyun', order_id: '458021783642951680', amount: '86.00', currency: 'CNY', store: '810094162', pos_member_id: '311205', phone: '13912345670', raw: {} }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      const token = ctx.secrets?.token;
      if (!token) return deny(`connection ${ctx.config.connection} has no "token"; copy the token Keruyun issued for your app`);
      const q = req.query;
      if (!q.sign?.trim()) return deny('missing sign query parameter');
      if (!q.timestamp?.trim()) return deny('missing timestamp query parameter');
      const appKey = ctx.secrets?.appKey;
      if (appKey && q.appKey !== appKey) return deny('appKey is not this connection’s');
      if (!verifyKeruyunSign(q, token, req.rawBody)) return deny(`sign does not match (rule ${keruyunSignsBody(q) ? 'v2, body included' : 'v1'})`);
      const ts = q.timestamp.trim();
      // Keruyun sends seconds in its examples and milliseconds in others.
      return checkTimestamp(/^\d{13}$/.test(ts) ? Number(ts) / 1000 : ts, ctx.now(), ctx.config.toleranceSeconds);
    },
    decode(req) {
      const payload = parseJsonLossless(req.rawBody.toString('utf8'));
      if (!isPlainObject(payload)) throw new PayloadError('Keruyun push must be a JSON object');
      return payload;
    },
    map(payload, req, ctx): TriggerEvent[] {
      const { dedupeKey, item } = mapKeruyunPush(payload as Record<string, unknown>, { ...ctx.config, query: req.query, rawBody: req.rawBody });
      item.occurredAt ??= ctx.now().toISOString();
      return [{ dedupeKey, items: [item] }];
    },
    respond: () => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: keruyunAck() }),
  },
});
