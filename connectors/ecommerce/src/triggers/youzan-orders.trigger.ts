import { defineNode, header, isPlainObject, obj, parseJsonBody, PayloadError, text, type TriggerContext, type VerifyResult, type WebhookRequest } from '@tributary/node-sdk';
import { youzanBodySign, youzanEventSign, youzanSignMatches } from '../util/youzan-push-sign.util.js';
import { decodeYouzanMsg, YOUZAN_TRADE_TYPES, youzanTradeItem } from './youzan-trade.mapper.js';
import { youzanOrdersNodeLocales } from './youzan-orders.trigger.locale.js';

export interface YouzanOrdersConfig {
  connection: string;
  signature: 'event-sign' | 'body-sign' | 'either';
  events: string[];
}

const EVENTS = [...new Set(Object.values(YOUZAN_TRADE_TYPES))];
/** What Youzan waits for; anything else makes it push again. */
const ACK = { status: 200, body: { code: 0, msg: 'success' } };

const deny = (reason: string): VerifyResult => ({ ok: false, reason, status: 401 });

function bodyOf(req: WebhookRequest): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(req.rawBody.toString('utf8'));
    return isPlainObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function verifyYouzan(req: WebhookRequest, ctx: TriggerContext<YouzanOrdersConfig>): VerifyResult {
  const clientId = ctx.secrets?.clientId?.trim();
  const clientSecret = ctx.secrets?.clientSecret?.trim();
  if (!clientId || !clientSecret) return deny(`connection ${ctx.config.connection} needs "clientId" and "clientSecret"; Youzan pushes cannot be verified without them`);
  const scheme = ctx.config.signature;
  const eventSign = header(req, 'event-sign')?.trim();
  let signed: VerifyResult;
  if (eventSign && scheme !== 'body-sign') {
    signed = youzanSignMatches(eventSign, youzanEventSign(clientId, req.rawBody, clientSecret)) ? { ok: true } : deny('Event-Sign does not match');
  } else if (scheme === 'event-sign') {
    return deny('missing Event-Sign header (if this Youzan app signs the body’s `sign` field instead, set the node’s signature to body-sign)');
  } else {
    const body = bodyOf(req);
    const sign = text(body?.sign);
    if (!body || !sign || typeof body.msg !== 'string') return deny('missing sign: the push has neither an Event-Sign header nor a body `sign` over `msg`');
    signed = youzanSignMatches(sign, youzanBodySign(clientId, body.msg, clientSecret)) ? { ok: true } : deny('body sign does not match');
  }
  if (!signed.ok) return signed;
  // A push signed for this app but naming another one is not ours to run (a number, however large, is another one).
  const named = bodyOf(req)?.client_id;
  const claimed = typeof named === 'number' ? String(named) : text(named);
  if (claimed !== undefined && claimed !== clientId) return deny(`push is for client_id ${claimed.slice(0, 40)}, not this connection’s app`);
  return { ok: true };
}

export const youzanOrdersNode = defineNode<YouzanOrdersConfig>({
  id: 'youzan.orders',
  version: 1,
  title: 'Youzan orders',
  description:
    'Starts a run for each Youzan (有赞) trade push: trade_TradeCreate → order_placed, trade_TradeBuyerPay / trade_TradePaid → order_paid, trade_TradeSuccess → order_completed, trade_TradeClose → order_cancelled, seller shipments → order_shipped. Checks the reported MD5 push signature (Event-Sign header, or the older body `sign`) and answers {"code":0,"msg":"success"}. Emits order_id, eventType, amount (decimal string, CNY), the buyer’s phone, the receiver’s name and city, the Youzan user id (pos_member_id, youzan_open_id), line_items and occurredAt.',
  category: 'trigger',
  locales: youzanOrdersNodeLocales,
  icon: 'shopping-cart',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'youzan', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A youzan connection holding the app’s `clientId` and `clientSecret`.' },
      signature: {
        type: 'string',
        enum: ['event-sign', 'body-sign', 'either'],
        default: 'event-sign',
        title: 'Signature',
        description:
          'event-sign: the Event-Sign header, md5(client_id + raw body + client_secret) (有赞云). body-sign: the body’s `sign`, md5(client_id + msg + client_secret), which older pushes carry and which does not cover type or status. either: the header when present, else the body sign.',
      },
      events: {
        type: 'array',
        items: { type: 'string', enum: EVENTS },
        minItems: 1,
        uniqueItems: true,
        default: ['order_placed', 'order_paid', 'order_completed', 'order_cancelled'],
        title: 'Events',
        description: 'Events that start a run; other trade messages are acknowledged and dropped.',
      },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_youzan', signature: 'event-sign', events: ['order_placed', 'order_paid', 'order_completed', 'order_cancelled'] },
    input: [
      {
        order_id: 'E20260302175800012345678',
        eventType: 'order_paid',
        amount: '199.00',
        currency: 'CNY',
        phone: '13912345670',
        name: '王小明',
        city: '上海市',
        pos_member_id: 'oUz7T1234abcdEFGH',
        store: '示例小店',
        occurredAt: '2026-03-02T09:58:30.000Z',
        raw: {},
      },
    ],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    // The console's test push ({"test": true}) is answered with the ack and starts nothing.
    handshake(req) {
      const body = bodyOf(req);
      return body && (body.test === true || body.test === 'true') ? ACK : undefined;
    },
    verify: verifyYouzan,
    decode(req) {
      const body = parseJsonBody(req.rawBody, 'Youzan push');
      if (!isPlainObject(body)) throw new PayloadError('Youzan push: the body must be a JSON object');
      return body;
    },
    map(payload, _req, ctx) {
      const body = payload as Record<string, unknown>;
      const type = text(body.type);
      const eventType = type ? YOUZAN_TRADE_TYPES[type] : undefined;
      if (!eventType || !ctx.config.events.includes(eventType)) {
        ctx.log.debug('youzan message type not mapped; acknowledged without a run', { type });
        return [];
      }
      const msg = decodeYouzanMsg(body.msg);
      const item = youzanTradeItem(body, msg, eventType, ctx.now());
      if (item.order_id === undefined) throw new PayloadError(`Youzan ${type} push names no order (tid)`);
      // REPORTED: (type, id, status, version) identifies a message; sendCount changes between pushes of one message.
      const key = [eventType, item.order_id, text(body.status) ?? text(obj(obj(msg.full_order_info).order_info).status) ?? '', text(body.version) ?? ''].join(':');
      return [{ dedupeKey: key, items: [item] }];
    },
    respond: () => ACK,
  },
});
