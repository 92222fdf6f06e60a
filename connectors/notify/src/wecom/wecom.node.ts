import { createHash } from 'node:crypto';
import { defineNode, errorItem, isPlainObject, NodeError, type Item, type NodeContext } from '@tributary/node-sdk';
import { WECOM_TOKEN_ERRORS } from '@tributary/connector-wechat';
import { deliverOnce, type SentNotification } from '../shared/deliver-once.util.js';
import { evaluateForItem, keepSecondsOf, listOf, NOTIFY_RETRY, notifyCommonProperties, sentItem, type NotifyCommonConfig } from '../shared/notify-node.util.js';
import { renderTemplate, truncateUtf8, valueAt } from '../shared/template.util.js';
import { createWecomAppClient, sendWecomMessage, WECOM_API_BASE_URL, WECOM_CONNECTION_ERRORS, WecomApiError, wecomAppCredentials } from './wecom-app-api.client.js';
import { wecomNotifyNodeLocales } from './wecom.node.locale.js';

export interface WecomNotifyConfig extends NotifyCommonConfig {
  connection: string;
  touserField?: string;
  touser?: string[];
  msgtype: 'text' | 'markdown' | 'textcard';
  content?: string;
  title?: string;
  url?: string;
  btntxt?: string;
  messageExpression?: string;
  duplicateCheckSeconds: number;
  apiBaseUrl?: string;
  allowPrivateNetwork: boolean;
}

export interface WecomSent extends SentNotification {
  channel: 'wecom';
  touser: string[];
  /** Recipients WeCom did not deliver to (not in the app's visible range, no licence). */
  undelivered: string[];
}

// WeCom's documented limits (发送应用消息): text and markdown content 2048 bytes; a text card's
// title 128 bytes and description 512 bytes; at most 1000 users per message.
const LIMITS = { content: 2048, title: 128, description: 512, btntxt: 12 };
const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;
const MAX_USERS = 1000;

type Built = { body: Record<string, unknown>; touser: string[]; truncated: boolean };

async function build(ctx: NodeContext<WecomNotifyConfig>, item: Item, index: number): Promise<{ built: Built } | { error: Item }> {
  const c = ctx.config;
  const users = [...(c.touser ?? []), ...(c.touserField ? listOf(valueAt(item, c.touserField), /[|,]/) : [])];
  const touser = [...new Map(users.map((u) => [u.toLowerCase(), u])).values()];
  if (touser.length === 0) return { error: errorItem(item, 'no_recipient', c.touserField ? `the item has no WeCom userid in "${c.touserField}"` : 'no recipient') };
  const bad = touser.find((u) => !USERID.test(u) || u === '@all');
  if (bad !== undefined) return { error: errorItem(item, 'invalid_recipient', `"${bad.slice(0, 80)}" is not a WeCom userid (this node writes to named members, never @all)`) };
  if (touser.length > MAX_USERS) return { error: errorItem(item, 'too_many_recipients', `${touser.length} users; WeCom takes at most ${MAX_USERS} per message`) };

  const fields: Record<string, string | undefined> = {
    content: c.content !== undefined ? renderTemplate(c.content, item) : undefined,
    title: c.title !== undefined ? renderTemplate(c.title, item) : undefined,
    url: c.url !== undefined ? renderTemplate(c.url, item, encodeURIComponent) : undefined,
    btntxt: c.btntxt,
  };
  if (c.messageExpression) {
    const result = await evaluateForItem(ctx, c.messageExpression, item, index);
    if ('error' in result) return result;
    const v = result.value;
    if (typeof v === 'string') fields.content = v;
    else if (isPlainObject(v)) {
      for (const [k, value] of Object.entries(v)) {
        const key = k === 'description' ? 'content' : k;
        if (!['content', 'title', 'url', 'btntxt'].includes(key) || value === undefined || value === null) continue;
        if (typeof value !== 'string') return { error: errorItem(item, 'invalid_message', `the message expression produced a ${typeof value} for "${k}"; it must be a string`) };
        fields[key] = value;
      }
    } else return { error: errorItem(item, 'invalid_message', 'the message expression must produce a string (the content) or an object such as {"title": …, "description": …, "url": …}') };
  }

  let truncated = false;
  const cut = (text: string, max: number) => {
    const r = truncateUtf8(text, max);
    truncated ||= r.truncated;
    return r.text;
  };
  const content = fields.content?.trim();
  if (!content) return { error: errorItem(item, 'empty_message', 'the message content is empty for this item') };
  let payload: Record<string, unknown>;
  if (c.msgtype === 'textcard') {
    const title = fields.title?.trim();
    const url = fields.url?.trim();
    if (!title) return { error: errorItem(item, 'empty_message', 'a text card needs a title') };
    if (!url || !/^https?:\/\/\S+$/i.test(url)) return { error: errorItem(item, 'invalid_message', `a text card needs an http(s) link, got "${(url ?? '').slice(0, 100)}"`) };
    payload = { title: cut(title, LIMITS.title), description: cut(content, LIMITS.description), url, ...(fields.btntxt ? { btntxt: cut(fields.btntxt, LIMITS.btntxt) } : {}) };
  } else payload = { content: cut(content, LIMITS.content) };

  const dup = c.duplicateCheckSeconds;
  const body: Record<string, unknown> = {
    touser: touser.join('|'),
    msgtype: c.msgtype,
    [c.msgtype]: payload,
    // Identical requests within the window reach the user once: this is what makes a resend
    // after an unanswered attempt harmless, since WeCom takes no idempotency key.
    enable_duplicate_check: dup > 0 ? 1 : 0,
    ...(dup > 0 ? { duplicate_check_interval: dup } : {}),
  };
  return { built: { body, touser, truncated } };
}

export const wecomNotifyNode = defineNode<WecomNotifyConfig>({
  id: 'notify.wecom',
  version: 1,
  title: 'Send WeCom message',
  description:
    'Sends a WeCom application message (text, markdown or text card) from a self-built app to the members named on each item (e.g. the customer’s owner) or fixed members. The access token is shared by every worker and renewed when WeCom rejects it. Members WeCom cannot reach send the item to `error`; rate limits and "system busy" are retried.',
  category: 'notify',
  locales: wecomNotifyNodeLocales,
  icon: 'message-circle',
  outputs: ['out', 'error'],
  connection: { type: 'wecom_app', required: true },
  retry: NOTIFY_RETRY,
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `wecom_app` connection (corpId, agentId, secret of a self-built app).' },
      touserField: {
        type: 'string',
        minLength: 1,
        title: 'Recipient field',
        description: 'The item field with the member’s WeCom userid (or a list, or ids joined by "|"): `owner.wecomUserId` after customer.assign, `task.owner.wecomUserId` after customer.task or customer.task-check.',
      },
      touser: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.@-]{1,64}$' }, maxItems: 100, title: 'Fixed recipients', description: 'WeCom userids that receive every message (e.g. the team lead).' },
      msgtype: { type: 'string', enum: ['text', 'markdown', 'textcard'], default: 'text', title: 'Message type', description: 'text; markdown (WeCom’s subset); textcard (title, description and a link).' },
      content: {
        type: 'string',
        minLength: 1,
        title: 'Content',
        description: 'The text (or markdown, or the text card’s description) with `{{field}}` placeholders, e.g. `客户 {{name}}（{{phone}}）已 3 天未跟进，请尽快联系。`',
        'x-widget': 'textarea',
      },
      title: { type: 'string', minLength: 1, title: 'Card title', description: 'textcard: the title (at most 128 bytes), with placeholders.' },
      url: { type: 'string', minLength: 1, title: 'Card link', description: 'textcard: the link opened on tap, with placeholders, e.g. `https://crm.example.com/customers/{{customerId}}`.' },
      btntxt: { type: 'string', minLength: 1, maxLength: 4, title: 'Card button', description: 'textcard: the button text (default 详情).' },
      messageExpression: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'Message (JSONata)',
        description: 'Instead of the templates: a string (the content) or `{ "title": …, "description": …, "url": … }` built from the item.',
        'x-widget': 'code',
        'x-language': 'jsonata',
      },
      duplicateCheckSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: 14400,
        default: 1800,
        title: 'WeCom duplicate check (seconds)',
        description: 'WeCom delivers an identical message to the same members once within this window (enable_duplicate_check), which also covers a resend after a timeout. 0 turns it off.',
      },
      apiBaseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: `Default ${WECOM_API_BASE_URL}; a private deployment’s or a proxy’s URL.` },
      allowPrivateNetwork: { type: 'boolean', default: false, title: 'Allow private network', description: 'Only for an API base URL on a private address (private deployment, tests).' },
      ...notifyCommonProperties,
    },
    required: ['connection'],
    allOf: [
      { anyOf: [{ required: ['touserField'] }, { required: ['touser'] }] },
      { anyOf: [{ required: ['content'] }, { required: ['messageExpression'] }] },
      { if: { properties: { msgtype: { const: 'textcard' } }, required: ['msgtype'] }, then: { anyOf: [{ required: ['messageExpression'] }, { required: ['title', 'url'] }] } },
    ],
    additionalProperties: false,
  },
  sample: {
    config: {
      connection: 'conn_wecom_app',
      touserField: 'owner.wecomUserId',
      msgtype: 'textcard',
      title: '跟进提醒：{{name}}',
      content: '客户 {{name}}（{{company}}）分配给你已 3 天，尚无跟进记录。',
      url: 'https://crm.example.com/customers/{{customerId}}',
      duplicateCheckSeconds: 1800,
      allowPrivateNetwork: false,
      resultField: 'notification',
      dedupeHours: 168,
    },
    // Empty: the contract run has no WeCom API. The node's tests use a local one.
    input: [],
  },
  async run(ctx, items) {
    const c = ctx.config;
    const out: Item[] = [];
    const error: Item[] = [];
    const deps = { http: ctx.http, cache: ctx.cache, signal: ctx.signal, now: ctx.now };
    let client: ReturnType<typeof createWecomAppClient> | undefined;
    let creds: ReturnType<typeof wecomAppCredentials> | undefined;
    for (const [index, item] of items.entries()) {
      if (ctx.signal.aborted) throw new NodeError('aborted', 'the run was cancelled', { retryable: true });
      const result = await build(ctx, item, index);
      if ('error' in result) {
        error.push(result.error);
        continue;
      }
      const { body, touser, truncated } = result.built;
      creds ??= wecomAppCredentials(ctx.secrets, c.connection);
      client ??= createWecomAppClient(deps, {
        baseUrl: c.apiBaseUrl ?? ctx.secrets?.apiBaseUrl,
        allowPrivateNetwork: c.allowPrivateNetwork || ctx.secrets?.allowPrivateNetwork === 'true',
        rateLimitKey: c.connection,
      });
      const api = client;
      const app = creds;
      const key = ctx.idempotencyKey(index);
      const delivery = await deliverOnce<WecomSent>({
        cache: ctx.cache,
        now: ctx.now,
        key,
        keepSeconds: keepSecondsOf(c),
        lockSeconds: 120,
        async send() {
          try {
            const res = await sendWecomMessage(deps, api, app, body);
            const missed = new Set(`${res.invaliduser ?? ''}|${res.unlicenseduser ?? ''}`.toLowerCase().split('|').filter(Boolean));
            const undelivered = touser.filter((u) => missed.has(u.toLowerCase()));
            if (undelivered.length === touser.length) {
              return { refused: { code: 'recipient_unreachable', message: `WeCom could not deliver to ${undelivered.join(', ')} (not in the app’s visible range, or without a licence)`, details: { ...(res.invaliduser ? { invaliduser: res.invaliduser } : {}), ...(res.unlicenseduser ? { unlicenseduser: res.unlicenseduser } : {}) } } };
            }
            const messageId = res.msgid ?? createHash('sha256').update(key).digest('hex').slice(0, 32);
            return { sent: { channel: 'wecom', messageId, sentAt: ctx.now().toISOString(), touser, undelivered, ...(truncated ? { truncated: true } : {}) } };
          } catch (err) {
            // An errcode about this message (its recipients, its content) belongs to the item;
            // retryable ones and the connection's own fail the step.
            if (err instanceof WecomApiError && WECOM_TOKEN_ERRORS.has(err.errcode)) {
              throw new NodeError('wecom_token_rejected', `${err.message} (again with a fresh token)`, { retryable: true, details: { errcode: err.errcode } });
            }
            if (err instanceof WecomApiError && !err.retryable && !(err.errcode in WECOM_CONNECTION_ERRORS)) {
              return { refused: { code: 'wecom_refused', message: err.message, details: { errcode: err.errcode, errmsg: err.errmsg } } };
            }
            if (err instanceof WecomApiError && !err.retryable) throw new NodeError('wecom_connection', err.message, { retryable: false, details: { errcode: err.errcode } });
            throw err;
          }
        },
      });
      if ('refused' in delivery) error.push(errorItem(item, delivery.refused.code, delivery.refused.message, delivery.refused.details));
      else out.push(sentItem(item, c, delivery.sent));
    }
    return { out, error };
  },
});
