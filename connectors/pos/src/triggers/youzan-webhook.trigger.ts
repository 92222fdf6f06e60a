import { defineNode, header, type TriggerEvent, type VerifyResult } from '@tributary/node-sdk';
import { decodeYouzanPush, mapYouzanPush, youzanDedupeKey, type YouzanPush } from '../mapping/youzan-push.mapper.js';
import { verifyYouzanEventSign } from '../sign/youzan-sign.util.js';
import { youzanWebhookTriggerLocales } from './youzan-webhook.trigger.locale.js';

export interface YouzanWebhookConfig {
  connection: string;
  memberIdPrefix: string;
  includeTestPushes: boolean;
}

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

/** The acknowledgement Youzan expects; without it the push is sent again. */
export const youzanAck = () => ({ code: 0, msg: 'success' });

export const youzanWebhookTrigger = defineNode<YouzanWebhookConfig>({
  id: 'youzan.webhook',
  version: 1,
  title: '有赞 push',
  description:
    'Receives Youzan (有赞云) message pushes, checks Event-Sign (MD5 of client_id + raw body + client_secret), decodes the URL-encoded msg, and emits trade pushes as orders (order_placed, order_paid, …; paid retail/offline orders as pos_purchase) with amount, store, phone and items, and customer/member pushes as member items. Answers {"code":0,"msg":"success"}.',
  category: 'trigger',
  locales: youzanWebhookTriggerLocales,
  icon: 'store',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'youzan', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `youzan` connection holding the app’s `clientId` and `clientSecret`.' },
      memberIdPrefix: { type: 'string', maxLength: 20, default: '', title: 'Member id prefix', description: 'Prepended to Youzan buyer ids (yz_open_id) in pos_member_id (e.g. `youzan:`) when several systems feed one customer store.' },
      includeTestPushes: { type: 'boolean', default: false, title: 'Run test pushes', description: 'Pushes marked `"test": true` (sent from the Youzan console) are acknowledged without a run unless this is on.' },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_youzan', memberIdPrefix: '', includeTestPushes: false },
    input: [{ eventType: 'order_paid', occurredAt: '2025-06-01T02:17:45.000Z', channel: 'youzan', order_id: 'E20250601101734022600020', amount: '128.00', currency: 'CNY', store: '41461397', phone: '13912345670', raw: {} }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      const { clientId, clientSecret } = ctx.secrets ?? {};
      if (!clientId || !clientSecret) return deny(`connection ${ctx.config.connection} needs "clientId" and "clientSecret"`);
      const sign = header(req, 'event-sign');
      if (!sign?.trim()) return deny('missing Event-Sign header');
      // Not timestamped: a replay is caught by the dedupe key.
      return verifyYouzanEventSign(sign, clientId, req.rawBody, clientSecret) ? { ok: true } : deny('Event-Sign does not match');
    },
    decode: (req) => decodeYouzanPush(req.rawBody),
    map(payload, _req, ctx): TriggerEvent[] {
      const push = payload as YouzanPush;
      if (push.test === true && !ctx.config.includeTestPushes) return [];
      const items = mapYouzanPush(push, ctx.config);
      if (items.length === 0) {
        ctx.log.debug('youzan push acknowledged without a run', { type: push.type });
        return [];
      }
      for (const item of items) item.occurredAt ??= ctx.now().toISOString();
      return [{ dedupeKey: youzanDedupeKey(push), items }];
    },
    respond: () => ({ status: 200, body: youzanAck() }),
  },
});
