import { checkTimestamp, defineNode, NodeError, PayloadError, type Item, type TriggerEvent } from '@tributary/node-sdk';
import { fetchWechatUser, WECHAT_API_BASE_URL, type WechatCredentials, type WechatTokenEndpoint } from '../api/wechat-api.client.js';
import { createWxClient, lookupErrorOf } from '../api/wx-api.util.js';
import { isWxSignature } from '../crypto/wx-biz-msg-crypt.util.js';
import { openedMessage, verifyEncryptedDelivery } from '../message/wx-delivery.util.js';
import { isoFromSeconds, parseWxBody, textField, type WxMessage } from '../message/wx-message.util.js';
import { DEFAULT_TOLERANCE_SECONDS, deny, queryParam, SUCCESS_RESPONSE, textResponse } from '../message/wx-request.util.js';
import { wechatOfficialTriggerLocales } from './wechat-official.trigger.locale.js';

export interface WechatOfficialConfig {
  connection: string;
  toleranceSeconds: number;
  lookupUnionId: boolean;
  tokenEndpoint: WechatTokenEndpoint;
  apiBaseUrl?: string;
  allowPrivateNetwork: boolean;
}

/** An openid's unionid never changes; remembering it spares chatty users a user/info call per message. */
const UNIONID_TTL_SECONDS = 7 * 24 * 3600;

const KNOWN_EVENTS: Record<string, string> = { subscribe: 'wechat_subscribe', unsubscribe: 'wechat_unsubscribe', scan: 'wechat_scan' };

/** `wechat_subscribe`, `wechat_scan`, `wechat_click`, … for events; `wechat_message` for anything a user sends. */
export function wechatEventType(msgType: string, event: string | undefined): string {
  if (msgType !== 'event') return 'wechat_message';
  const known = KNOWN_EVENTS[(event ?? '').toLowerCase()];
  if (known) return known;
  const snake = (event ?? '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `wechat_${snake || 'event'}`;
}

/**
 * WeChat's retry key: MsgId for messages; events have none, so FromUserName + CreateTime,
 * with Event and EventKey so two events of one user in the same second stay apart.
 */
export function wechatDedupeKey(msg: WxMessage): string {
  const from = textField(msg, 'FromUserName') ?? '';
  const createTime = textField(msg, 'CreateTime') ?? '';
  const msgType = textField(msg, 'MsgType') ?? '';
  if (msgType === 'event') return [from, createTime, textField(msg, 'Event') ?? '', textField(msg, 'EventKey')].filter((p) => p !== undefined).join(':');
  return textField(msg, 'MsgId', 'MsgID') ?? `${from}:${createTime}:${msgType}`;
}

/** One pushed message or event as the item customer.upsert takes. */
export function wechatItem(msg: WxMessage): Item {
  const openid = textField(msg, 'FromUserName');
  const msgType = textField(msg, 'MsgType');
  if (!openid) throw new PayloadError('the message has no FromUserName');
  if (!msgType) throw new PayloadError('the message has no MsgType');
  const event = textField(msg, 'Event');
  const item: Item = { wechat_openid: openid, eventType: wechatEventType(msgType, event) };
  const occurredAt = isoFromSeconds(textField(msg, 'CreateTime'));
  if (occurredAt) item.occurredAt = occurredAt;
  if (msgType === 'event') {
    const eventKey = textField(msg, 'EventKey');
    const lower = (event ?? '').toLowerCase();
    // A parametrised QR code: `qrscene_<scene>` on subscribe, the bare scene on SCAN. The scene is the lead's channel.
    if (lower === 'subscribe' && eventKey?.startsWith('qrscene_')) item.scene = eventKey.slice('qrscene_'.length);
    else if (lower === 'scan' && eventKey) item.scene = eventKey;
    else if (eventKey) item.eventKey = eventKey;
  } else {
    const content = textField(msg, 'Content');
    if (content !== undefined) item.content = content;
  }
  // Top-level scalars become customer attributes; the rest (MsgId, Ticket, MsgType, media ids) stays in raw.
  item.raw = msg;
  return item;
}

const isEncrypted = (req: { url: string; query: Record<string, string | undefined> }) => (queryParam(req, 'encrypt_type') ?? '').toLowerCase() === 'aes';

export const wechatOfficialTrigger = defineNode<WechatOfficialConfig>({
  id: 'wechat.official',
  version: 1,
  title: 'WeChat Official Account',
  description:
    'Receives the messages and events a WeChat Official Account (公众号) pushes: subscribe (with the QR scene of a parametrised code), unsubscribe, SCAN, text and other messages. Answers the URL verification, checks the signature (safe mode: msg_signature, AES decryption and the appId), acknowledges with `success`, and emits one item per push with `wechat_openid`, `eventType`, `occurredAt`, the scene and the text. With an appSecret on the connection it adds the `wechat_unionid` from user/info.',
  category: 'trigger',
  locales: wechatOfficialTriggerLocales,
  icon: 'wechat',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'wechat', required: true },
  retry: { maxAttempts: 3, backoffMs: 2000, maxBackoffMs: 30000 },
  configSchema: {
    type: 'object',
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        title: 'Connection',
        description: 'A WeChat connection: `token`, `appId`, `encodingAesKey` (safe mode) and, for the unionid lookup, `appSecret`.',
      },
      toleranceSeconds: {
        type: 'integer',
        minimum: 0,
        default: DEFAULT_TOLERANCE_SECONDS,
        title: 'Timestamp tolerance (seconds)',
        description: 'How far the signed timestamp may be from now; older pushes are refused as replays. WeChat retries within about 15 s. 0 disables the check.',
      },
      lookupUnionId: {
        type: 'boolean',
        default: true,
        title: 'Look up the unionid',
        description: 'When the connection has an appSecret, fetch each user’s unionid (cgi-bin/user/info) so the same person is recognised across your official accounts, mini programs and WeCom. Needs the account bound to a WeChat Open Platform account.',
      },
      tokenEndpoint: {
        type: 'string',
        enum: ['stable_token', 'token'],
        default: 'stable_token',
        title: 'Access token endpoint',
        description: 'stable_token (recommended) shares one token with the account’s other systems; token (cgi-bin/token) invalidates the token they hold each time it is called.',
      },
      apiBaseUrl: {
        type: 'string',
        pattern: '^https?://',
        title: 'API base URL',
        description: 'The WeChat API; default the connection’s apiBaseUrl, else https://api.weixin.qq.com.',
      },
      allowPrivateNetwork: {
        type: 'boolean',
        default: false,
        title: 'Allow private network',
        description: 'Let the API base URL point at a loopback or private address (an on-premise proxy or a test endpoint).',
      },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_wechat', toleranceSeconds: 300, lookupUnionId: true, tokenEndpoint: 'stable_token', allowPrivateNetwork: false },
    input: [
      {
        wechat_openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
        eventType: 'wechat_subscribe',
        occurredAt: '2024-04-26T06:20:45.000Z',
        scene: 'expo_2024_booth',
        raw: { ToUserName: 'gh_97417a04a28d', FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', CreateTime: '1714112445', MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_expo_2024_booth' },
      },
    ],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    // URL verification: sha1(sort(token, timestamp, nonce)) and echostr sent back as it came (not encrypted, even in safe mode).
    handshake(req, ctx) {
      if (req.method.toUpperCase() !== 'GET') return undefined;
      const token = ctx.secrets?.token;
      if (!token) return textResponse(401, `connection ${ctx.config.connection} has no "token" secret`);
      const [signature, timestamp, nonce, echostr] = ['signature', 'timestamp', 'nonce', 'echostr'].map((n) => queryParam(req, n));
      if (!signature || !timestamp || !nonce || echostr === undefined) return textResponse(400, 'URL verification needs signature, timestamp, nonce and echostr');
      if (!isWxSignature(signature, [token, timestamp, nonce])) return textResponse(401, 'signature does not match (check the token)');
      const window = checkTimestamp(timestamp, ctx.now(), ctx.config.toleranceSeconds);
      if (!window.ok) return textResponse(401, window.reason);
      return textResponse(200, echostr);
    },
    verify(req, ctx) {
      const s = ctx.secrets ?? {};
      if (!s.token) return deny(`connection ${ctx.config.connection} has no "token" secret`);
      if (isEncrypted(req)) {
        if (!s.encodingAesKey) return deny('safe-mode push (encrypt_type=aes) but the connection has no "encodingAesKey"');
        if (!s.appId) return deny('safe-mode push but the connection has no "appId" to check the message against');
        return verifyEncryptedDelivery(req, { token: s.token, encodingAesKey: s.encodingAesKey, receiveId: s.appId, receiveIdName: 'appId', now: ctx.now(), toleranceSeconds: ctx.config.toleranceSeconds });
      }
      // In plain mode the signature covers only token, timestamp and nonce, never the body; once a
      // connection has a key, a plain push could be a captured signature with a forged body.
      if (s.encodingAesKey) return deny('plain-mode push refused: the connection has an encodingAesKey, so only safe-mode (encrypt_type=aes) pushes are accepted');
      const [signature, timestamp, nonce] = ['signature', 'timestamp', 'nonce'].map((n) => queryParam(req, n));
      if (!signature) return deny('missing signature query parameter');
      if (!timestamp || !nonce) return deny('missing timestamp or nonce query parameter');
      if (!isWxSignature(signature, [s.token, timestamp, nonce])) return deny('signature does not match (wrong token?)');
      return checkTimestamp(timestamp, ctx.now(), ctx.config.toleranceSeconds);
    },
    decode(req) {
      if (!isEncrypted(req)) return parseWxBody(req.rawBody).message;
      const plaintext = openedMessage(req);
      if (plaintext === undefined) throw new PayloadError('the encrypted message was not opened by verify');
      return parseWxBody(plaintext).message;
    },
    map(payload): TriggerEvent[] {
      const msg = payload as WxMessage;
      return [{ dedupeKey: wechatDedupeKey(msg), items: [wechatItem(msg)] }];
    },
    respond: () => SUCCESS_RESPONSE,
  },
  async run(ctx, items) {
    const s = ctx.secrets ?? {};
    if (!ctx.config.lookupUnionId || !s.appSecret || !s.appId) return { out: items };
    const deps = { http: ctx.http, cache: ctx.cache, signal: ctx.signal };
    const creds: WechatCredentials = { appId: s.appId, appSecret: s.appSecret };
    const client = createWxClient(deps, {
      vendor: 'wechat',
      baseUrl: ctx.config.apiBaseUrl ?? s.apiBaseUrl ?? WECHAT_API_BASE_URL,
      allowPrivateNetwork: ctx.config.allowPrivateNetwork,
      rateLimitKey: ctx.config.connection,
    });
    const out: Item[] = [];
    for (const item of items) {
      const openid = typeof item.wechat_openid === 'string' ? item.wechat_openid : undefined;
      if (!openid || item.wechat_unionid) {
        out.push(item);
        continue;
      }
      const cacheKey = `wechat-unionid:${s.appId}:${openid}`;
      const known = await ctx.cache.get(cacheKey);
      if (known) {
        out.push({ ...item, wechat_unionid: known });
        continue;
      }
      try {
        const user = await fetchWechatUser(deps, client, creds, ctx.config.tokenEndpoint, openid);
        if (user.unionid) {
          await ctx.cache.set(cacheKey, user.unionid, UNIONID_TTL_SECONDS);
          out.push({ ...item, wechat_unionid: user.unionid });
        } else out.push(item);
      } catch (err) {
        // Outages are retried with the step; a refusal (IP whitelist, quota, wrong secret) will not
        // heal by retrying, and the openid alone still identifies the customer.
        if (!(err instanceof NodeError) || err.retryable) throw err;
        ctx.log.warn('wechat user/info failed; the item goes on without a unionid', { error: err.message });
        out.push({ ...item, lookupError: lookupErrorOf(err) });
      }
    }
    return { out };
  },
});
