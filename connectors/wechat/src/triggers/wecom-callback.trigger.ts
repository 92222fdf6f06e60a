import { arr, defineNode, NodeError, obj, PayloadError, text, type Item, type TriggerEvent } from '@tributary/node-sdk';
import { fetchExternalContact, WECOM_API_BASE_URL, type WecomCredentials, type WecomExternalContact } from '../api/wecom-api.client.js';
import { createWxClient, lookupErrorOf } from '../api/wx-api.util.js';
import { openedMessage, openSignedMessage, verifyEncryptedDelivery } from '../message/wx-delivery.util.js';
import { isoFromSeconds, parseWxBody, textField, type WxMessage } from '../message/wx-message.util.js';
import { DEFAULT_TOLERANCE_SECONDS, deny, queryParam, SUCCESS_RESPONSE, textResponse } from '../message/wx-request.util.js';
import { wecomCallbackTriggerLocales } from './wecom-callback.trigger.locale.js';

export interface WecomCallbackConfig {
  connection: string;
  toleranceSeconds: number;
  events: 'external_contact' | 'all';
  fetchContact: boolean;
  apiBaseUrl?: string;
  allowPrivateNetwork: boolean;
}

/** 客户联系 change types and the event types items carry. */
export const WECOM_CONTACT_EVENT_TYPES: Record<string, string> = {
  add_external_contact: 'wecom_contact_added',
  add_half_external_contact: 'wecom_contact_half_added',
  edit_external_contact: 'wecom_contact_edited',
  // A staff member deleted the customer.
  del_external_contact: 'wecom_contact_deleted',
  // The customer deleted the staff member.
  del_follow_user: 'wecom_contact_removed_staff',
  transfer_fail: 'wecom_contact_transfer_failed',
};

// The relationship is gone: the contact may no longer be readable, and the add event already carried the details.
const NO_FETCH = new Set(['wecom_contact_deleted', 'wecom_contact_removed_staff']);

const snake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

const isContactEvent = (msg: WxMessage) => textField(msg, 'MsgType') === 'event' && textField(msg, 'Event') === 'change_external_contact';

/** The retry key of a callback: the event's own fields for 客户联系, MsgId for messages, sender + time + event otherwise. */
export function wecomDedupeKey(msg: WxMessage): string {
  if (isContactEvent(msg)) {
    return ['ToUserName', 'CreateTime', 'ChangeType', 'ExternalUserID', 'UserID'].map((f) => textField(msg, f) ?? '').join(':');
  }
  const msgId = textField(msg, 'MsgId', 'MsgID');
  if (msgId) return msgId;
  return ['FromUserName', 'CreateTime', 'MsgType', 'Event', 'EventKey'].map((f) => textField(msg, f) ?? '').join(':');
}

/** A callback as the item customer.upsert takes. */
export function wecomItem(msg: WxMessage): Item {
  const msgType = textField(msg, 'MsgType');
  if (!msgType) throw new PayloadError('the callback has no MsgType');
  const item: Item = {};
  if (isContactEvent(msg)) {
    const changeType = textField(msg, 'ChangeType') ?? '';
    const externalUserId = textField(msg, 'ExternalUserID');
    const userId = textField(msg, 'UserID');
    const state = textField(msg, 'State');
    if (externalUserId) item.wecom_external_userid = externalUserId;
    item.eventType = WECOM_CONTACT_EVENT_TYPES[changeType] ?? `wecom_contact_${snake(changeType) || 'changed'}`;
    // The staff member whose contact list changed: the customer's owner.
    if (userId) item.owner_userid = userId;
    // The 联系我 / acquisition-link tag the customer came through.
    if (state) item.channel = state;
  } else {
    const event = textField(msg, 'Event');
    item.eventType = msgType === 'event' ? `wecom_${snake(event ?? '') || 'event'}` : 'wecom_message';
    const from = textField(msg, 'FromUserName');
    if (from) item.wecom_userid = from;
    const content = textField(msg, 'Content');
    if (content !== undefined) item.content = content;
  }
  const occurredAt = isoFromSeconds(textField(msg, 'CreateTime'));
  if (occurredAt) item.occurredAt = occurredAt;
  item.raw = msg;
  return item;
}

/**
 * The fields of 获取客户详情 an item takes: identity, name, company, title, the owner's remark
 * mobile. WeCom's answer is read as it is, not as documented: a field of another shape is absent.
 */
export function contactFields(item: Item, contact: WecomExternalContact): Item {
  const ec = obj(contact.external_contact);
  const follow = arr(contact.follow_user).map(obj);
  const owner = follow.find((f) => text(f.userid) !== undefined && text(f.userid) === item.owner_userid) ?? follow[0];
  const out: Item = { ...item };
  const unionid = text(ec.unionid);
  if (unionid) out.wechat_unionid = unionid;
  const name = text(ec.name);
  if (name) out.name = name;
  const company = text(ec.corp_name) ?? text(ec.corp_full_name) ?? text(owner?.remark_corp_name);
  if (company) out.company = company;
  const title = text(ec.position);
  if (title) out.title = title;
  const mobile = arr(owner?.remark_mobiles).find((m): m is string => typeof m === 'string' && m.trim() !== '');
  if (mobile) out.phone = mobile;
  const ownerId = text(owner?.userid);
  if (!out.owner_userid && ownerId) out.owner_userid = ownerId;
  // Kept whole (not a scalar, so not a customer attribute): the timeline shows what WeCom said.
  out.wecom_contact = { external_contact: ec, ...(owner ? { follow_user: owner } : {}) };
  return out;
}

export const wecomCallbackTrigger = defineNode<WecomCallbackConfig>({
  id: 'wecom.callback',
  version: 1,
  title: 'WeCom customer contact',
  description:
    'Receives WeCom (企业微信) callbacks: answers the URL verification, checks msg_signature, decrypts (WXBizMsgCrypt) and checks the CorpID, acknowledges with `success`, and emits one item per 客户联系 change (customer added, edited, deleted, …) with `wecom_external_userid`, `eventType`, the owner and the channel (State). With the customer-contact secret on the connection it fetches the customer (externalcontact/get) and adds `name`, `company`, `title`, the remark mobile as `phone` and the `wechat_unionid`.',
  category: 'trigger',
  locales: wecomCallbackTriggerLocales,
  icon: 'wecom',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'wecom', required: true },
  retry: { maxAttempts: 3, backoffMs: 2000, maxBackoffMs: 30000 },
  configSchema: {
    type: 'object',
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        title: 'Connection',
        description: 'A WeCom connection: `token`, `encodingAesKey`, `corpId` and, to fetch customer details, the customer-contact `secret`.',
      },
      toleranceSeconds: {
        type: 'integer',
        minimum: 0,
        default: DEFAULT_TOLERANCE_SECONDS,
        title: 'Timestamp tolerance (seconds)',
        description: 'How far the signed timestamp may be from now; older callbacks are refused as replays. 0 disables the check.',
      },
      events: {
        type: 'string',
        enum: ['external_contact', 'all'],
        default: 'external_contact',
        title: 'Events',
        description: 'external_contact: only 客户联系 changes (change_external_contact) start runs; other callbacks are acknowledged and dropped. all: every message and event.',
      },
      fetchContact: {
        type: 'boolean',
        default: true,
        title: 'Fetch customer details',
        description: 'When the connection has the customer-contact secret, fetch each customer (externalcontact/get) for name, company, remark mobile and unionid.',
      },
      apiBaseUrl: {
        type: 'string',
        pattern: '^https?://',
        title: 'API base URL',
        description: 'The WeCom API; default the connection’s apiBaseUrl, else https://qyapi.weixin.qq.com (a private deployment has its own).',
      },
      allowPrivateNetwork: {
        type: 'boolean',
        default: false,
        title: 'Allow private network',
        description: 'Let the API base URL point at a loopback or private address (a private deployment, an on-premise proxy, a test endpoint).',
      },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_wecom', toleranceSeconds: 300, events: 'external_contact', fetchContact: true, allowPrivateNetwork: false },
    input: [
      {
        wecom_external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA',
        eventType: 'wecom_contact_added',
        owner_userid: 'zhangsan',
        channel: 'expo_2024',
        occurredAt: '2024-05-01T02:00:00.000Z',
        raw: {
          ToUserName: 'ww1436e0e65a779aee',
          FromUserName: 'sys',
          CreateTime: '1714528800',
          MsgType: 'event',
          Event: 'change_external_contact',
          ChangeType: 'add_external_contact',
          UserID: 'zhangsan',
          ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA',
          State: 'expo_2024',
        },
      },
    ],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    // URL verification: msg_signature covers echostr; the answer is the decrypted plaintext, within 1 s.
    handshake(req, ctx) {
      if (req.method.toUpperCase() !== 'GET') return undefined;
      const s = ctx.secrets ?? {};
      if (!s.token || !s.encodingAesKey || !s.corpId) return textResponse(401, `connection ${ctx.config.connection} needs "token", "encodingAesKey" and "corpId"`);
      const echostr = queryParam(req, 'echostr');
      if (!echostr) return textResponse(400, 'URL verification needs msg_signature, timestamp, nonce and echostr');
      const opened = openSignedMessage({
        token: s.token,
        encodingAesKey: s.encodingAesKey,
        receiveId: s.corpId,
        receiveIdName: 'corpId',
        msgSignature: queryParam(req, 'msg_signature'),
        timestamp: queryParam(req, 'timestamp'),
        nonce: queryParam(req, 'nonce'),
        encrypt: echostr,
        now: ctx.now(),
        toleranceSeconds: ctx.config.toleranceSeconds,
      });
      return opened.ok ? textResponse(200, opened.message) : textResponse(opened.status, opened.reason);
    },
    verify(req, ctx) {
      const s = ctx.secrets ?? {};
      for (const name of ['token', 'encodingAesKey', 'corpId']) if (!s[name]) return deny(`connection ${ctx.config.connection} has no "${name}" secret`);
      return verifyEncryptedDelivery(req, { token: s.token!, encodingAesKey: s.encodingAesKey!, receiveId: s.corpId!, receiveIdName: 'corpId', now: ctx.now(), toleranceSeconds: ctx.config.toleranceSeconds });
    },
    decode(req) {
      const plaintext = openedMessage(req);
      if (plaintext === undefined) throw new PayloadError('the encrypted message was not opened by verify');
      return parseWxBody(plaintext).message;
    },
    map(payload, _req, ctx): TriggerEvent[] {
      const msg = payload as WxMessage;
      const item = wecomItem(msg);
      if (ctx.config.events === 'external_contact' && !isContactEvent(msg)) return [];
      return [{ dedupeKey: wecomDedupeKey(msg), items: [item] }];
    },
    respond: () => SUCCESS_RESPONSE,
  },
  async run(ctx, items) {
    const s = ctx.secrets ?? {};
    if (!ctx.config.fetchContact || !s.secret || !s.corpId) return { out: items };
    const deps = { http: ctx.http, cache: ctx.cache, signal: ctx.signal };
    const creds: WecomCredentials = { corpId: s.corpId, secret: s.secret };
    const client = createWxClient(deps, {
      vendor: 'wecom',
      baseUrl: ctx.config.apiBaseUrl ?? s.apiBaseUrl ?? WECOM_API_BASE_URL,
      allowPrivateNetwork: ctx.config.allowPrivateNetwork,
      rateLimitKey: ctx.config.connection,
    });
    const out: Item[] = [];
    for (const item of items) {
      const externalUserId = typeof item.wecom_external_userid === 'string' ? item.wecom_external_userid : undefined;
      if (!externalUserId || NO_FETCH.has(String(item.eventType))) {
        out.push(item);
        continue;
      }
      try {
        out.push(contactFields(item, await fetchExternalContact(deps, client, creds, externalUserId)));
      } catch (err) {
        // Outages are retried with the step; a refusal (wrong secret, IP not trusted, contact gone)
        // will not heal by retrying, and the external userid alone still identifies the customer.
        if (!(err instanceof NodeError) || err.retryable) throw err;
        ctx.log.warn('wecom externalcontact/get failed; the item goes on with the callback fields only', { error: err.message });
        out.push({ ...item, lookupError: lookupErrorOf(err) });
      }
    }
    return { out };
  },
});
