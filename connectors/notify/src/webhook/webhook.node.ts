import { createVendorClient, defineNode, errorItem, NodeError, redactUrl, VendorApiError, type ConfigIssue, type Item } from '@tributary/node-sdk';
import { deliverOnce, type SentNotification } from '../shared/deliver-once.util.js';
import { evaluateForItem, keepSecondsOf, NOTIFY_RETRY, notifyCommonProperties, sentItem, type NotifyCommonConfig } from '../shared/notify-node.util.js';
import { signStandardWebhook, webhookMessageId } from './standard-webhooks.util.js';
import { webhookNotifyNodeLocales } from './webhook.node.locale.js';

export interface WebhookNotifyConfig extends NotifyCommonConfig {
  url: string;
  bodyExpression?: string;
  headers: Record<string, string>;
  signing: 'none' | 'standard-webhooks';
  connection?: string;
  timeoutMs: number;
  maxAttempts: number;
  allowPrivateNetwork: boolean;
}

export interface WebhookSent extends SentNotification {
  channel: 'webhook';
  status: number;
}

/** Headers the node writes itself: a config must not override them. */
const RESERVED_HEADERS = ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];

// Standard Webhooks: 408, 429 and 5xx mean "try later"; any other non-2xx is a failure
// (3xx included), and 410 means the receiver disabled the endpoint.
const retryableStatus = (s: number) => s === 408 || s === 425 || s === 429 || s >= 500;
const BODY_EXCERPT = 500;

/**
 * The URL as errors may show it: credentials in the query (redactUrl) and token-like path
 * segments (chat-bot hooks such as …/bot/v2/hook/<token>) are masked.
 */
export function displayUrl(text: string): string {
  return redactUrl(text).replace(/\/([A-Za-z0-9_-]{20,})(?=[/?#\s:]|$)/g, '/***');
}

export const webhookNotifyNode = defineNode<WebhookNotifyConfig>({
  id: 'notify.webhook',
  version: 1,
  title: 'Send webhook',
  description:
    'POSTs each item (or the JSON a body expression builds from it) to a URL, optionally signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`). 2xx is sent; 408, 429, 5xx and network errors are retried; other answers send the item to `error`. `webhook-id` stays the same across retries so the receiver can drop duplicates.',
  category: 'notify',
  locales: webhookNotifyNodeLocales,
  icon: 'webhook',
  outputs: ['out', 'error'],
  connection: { type: 'notify', required: false },
  retry: NOTIFY_RETRY,
  configSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', pattern: '^https?://', title: 'URL', description: 'The endpoint to POST to (http or https).' },
      bodyExpression: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'Body (JSONata)',
        description: 'Builds the JSON body from the item, e.g. `{ "type": "lead.assigned", "data": { "name": name, "owner": owner.name } }`. Default: the item itself.',
        'x-widget': 'code',
        'x-language': 'jsonata',
      },
      headers: { type: 'object', additionalProperties: { type: 'string' }, default: {}, title: 'Headers', description: 'Extra request headers, e.g. `{"authorization": "Bearer …"}`.' },
      signing: {
        type: 'string',
        enum: ['none', 'standard-webhooks'],
        default: 'none',
        title: 'Signature',
        description: 'standard-webhooks: adds `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the connection’s `secret` (whsec_…).',
      },
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `notify` connection holding the signing `secret`. Required with a signature.' },
      timeoutMs: { type: 'integer', minimum: 1000, maximum: 60000, default: 15000, title: 'Timeout (ms)', description: 'Per request; Standard Webhooks suggests 15 to 30 seconds.' },
      maxAttempts: { type: 'integer', minimum: 1, maximum: 5, default: 3, title: 'Attempts per send', description: 'Tries within the step (with backoff, honouring Retry-After) before the step itself is retried later.' },
      allowPrivateNetwork: {
        type: 'boolean',
        default: false,
        title: 'Allow private network',
        description: 'Allow loopback and private addresses (on-premise receivers, tests). Off by default so a flow cannot reach internal services by accident.',
      },
      ...notifyCommonProperties,
    },
    required: ['url'],
    allOf: [{ if: { properties: { signing: { const: 'standard-webhooks' } }, required: ['signing'] }, then: { required: ['connection'] } }],
    additionalProperties: false,
  },
  checkConfig(config) {
    const issues: ConfigIssue[] = [];
    for (const name of Object.keys(config.headers ?? {})) {
      if (RESERVED_HEADERS.includes(name.toLowerCase())) issues.push({ path: `/headers/${name}`, message: `${name} is set by the node` });
    }
    return issues;
  },
  sample: {
    config: {
      url: 'https://hooks.example.com/tributary',
      bodyExpression: '{ "type": "lead.assigned", "data": { "name": name, "phone": phone, "owner": owner.name } }',
      headers: {},
      signing: 'standard-webhooks',
      connection: 'conn_notify',
      timeoutMs: 15000,
      maxAttempts: 3,
      allowPrivateNetwork: false,
      resultField: 'notification',
      dedupeHours: 168,
    },
    input: [{ name: 'Ada Lovelace', phone: '+8613800138000', owner: { name: 'Zhang Wei' } }],
  },
  async run(ctx, items) {
    const c = ctx.config;
    const secret = c.signing === 'standard-webhooks' ? ctx.secrets?.secret : undefined;
    if (c.signing === 'standard-webhooks' && !secret) {
      throw new NodeError('missing_secret', `connection ${c.connection ?? '(none)'} has no "secret" to sign webhooks with`, { retryable: false });
    }
    const client = createVendorClient(
      { http: ctx.http, cache: ctx.cache, signal: ctx.signal, now: ctx.now },
      { vendor: 'webhook', baseUrl: c.url, timeoutMs: c.timeoutMs, maxAttempts: c.maxAttempts, allowPrivateNetwork: c.allowPrivateNetwork },
    );
    const lockSeconds = Math.ceil((c.timeoutMs * c.maxAttempts + 500 * 2 ** c.maxAttempts) / 1000) + 5;
    const url = displayUrl(c.url);
    const out: Item[] = [];
    const error: Item[] = [];
    for (const [index, item] of items.entries()) {
      if (ctx.signal.aborted) throw new NodeError('aborted', 'the run was cancelled', { retryable: true });
      let body: unknown = item;
      if (c.bodyExpression) {
        const result = await evaluateForItem(ctx, c.bodyExpression, item, index);
        if ('error' in result) {
          error.push(result.error);
          continue;
        }
        if (result.value === undefined) {
          error.push(errorItem(item, 'empty_body', 'the body expression produced nothing for this item'));
          continue;
        }
        body = result.value;
      }
      const raw = JSON.stringify(body);
      const key = ctx.idempotencyKey(index);
      const id = webhookMessageId(key);
      const delivery = await deliverOnce<WebhookSent>({
        cache: ctx.cache,
        now: ctx.now,
        key,
        keepSeconds: keepSecondsOf(c),
        lockSeconds,
        async send() {
          const timestamp = Math.floor(ctx.now().getTime() / 1000);
          const headers: Record<string, string> = { ...c.headers, 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
          if (secret) headers['webhook-signature'] = signStandardWebhook(secret, id, timestamp, raw);
          let res;
          try {
            res = await client.request({ method: 'POST', path: c.url, headers, body: raw, okStatuses: (s) => !retryableStatus(s) });
          } catch (err) {
            if (!(err instanceof VendorApiError)) throw err;
            // The vendor client quotes the URL; a hook token in its path must not reach the run log.
            const body = (err.details as { body?: string } | undefined)?.body;
            throw new VendorApiError('webhook', displayUrl(err.message), err.status, { retryable: err.retryable, retryAfterMs: err.retryAfterMs, body });
          }
          if (res.status >= 200 && res.status < 300) return { sent: { channel: 'webhook', messageId: id, sentAt: ctx.now().toISOString(), status: res.status } };
          const excerpt = res.body.length > BODY_EXCERPT ? `${res.body.slice(0, BODY_EXCERPT)}…` : res.body;
          const why = res.status === 410 ? ' (the receiver disabled this endpoint)' : res.status < 300 ? '' : res.status < 400 ? ' (a redirect is not a delivery)' : '';
          return { refused: { code: 'webhook_status', message: `POST ${url} answered ${res.status}${why}`, details: { status: res.status, body: excerpt, webhookId: id } } };
        },
      });
      if ('refused' in delivery) error.push(errorItem(item, delivery.refused.code, delivery.refused.message, delivery.refused.details));
      else out.push(sentItem(item, c, delivery.sent));
    }
    return { out, error };
  },
});
