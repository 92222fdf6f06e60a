import { defineNode, errorItem, isPlainObject, NodeError, type Item, type NodeContext } from '@tributary/node-sdk';
import { deliverOnce, type SentNotification } from '../shared/deliver-once.util.js';
import { evaluateForItem, keepSecondsOf, NOTIFY_RETRY, notifyCommonProperties, sentItem, type NotifyCommonConfig } from '../shared/notify-node.util.js';
import { renderTemplate, textOf, valueAt } from '../shared/template.util.js';
import { ALIYUN_SMS_BASE_URL } from './aliyun-sms.provider.js';
import { normalizePhone } from './phone.util.js';
import { SmsRefusedError, type SmsProvider, type SmsSendContext } from './sms-provider.js';
import { smsProviderFor } from './sms-providers.js';
import { smsNotifyNodeLocales } from './sms.node.locale.js';

export interface SmsNotifyConfig extends NotifyCommonConfig {
  connection: string;
  phoneField?: string;
  to?: string;
  templateId?: string;
  templateIdField?: string;
  templateParams: Record<string, string>;
  templateParamsExpression?: string;
  signName?: string;
  allowInternational: boolean;
  apiBaseUrl?: string;
  allowPrivateNetwork: boolean;
}

export interface SmsSentRecord extends SentNotification {
  channel: 'sms';
  provider: string;
  to: string;
  templateId: string;
}

interface SmsMessage {
  to: string;
  templateId: string;
  params: Record<string, string>;
}

const TEMPLATE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

async function messageFor(ctx: NodeContext<SmsNotifyConfig>, item: Item, index: number): Promise<{ message: SmsMessage } | { error: Item }> {
  const c = ctx.config;
  const raw = c.to ?? (c.phoneField ? valueAt(item, c.phoneField) : undefined);
  const phone = normalizePhone(raw, { allowInternational: c.allowInternational });
  if ('problem' in phone) return { error: errorItem(item, raw === undefined || raw === null || raw === '' ? 'no_recipient' : 'invalid_phone', c.phoneField && raw === undefined ? `the item has no phone number in "${c.phoneField}"` : phone.problem) };

  const templateId = c.templateId ?? textOf(c.templateIdField ? valueAt(item, c.templateIdField) : undefined);
  if (!templateId) return { error: errorItem(item, 'no_template', `the item has no template id in "${c.templateIdField}"`) };
  if (!TEMPLATE_ID.test(templateId)) return { error: errorItem(item, 'invalid_template', `"${templateId.slice(0, 70)}" is not a template id (such as SMS_154950909)`) };

  const params: Record<string, string> = {};
  for (const [name, template] of Object.entries(c.templateParams)) params[name] = renderTemplate(template, item);
  if (c.templateParamsExpression) {
    const result = await evaluateForItem(ctx, c.templateParamsExpression, item, index);
    if ('error' in result) return result;
    if (!isPlainObject(result.value)) return { error: errorItem(item, 'invalid_params', 'the template parameters expression must produce an object such as {"name": …}') };
    for (const [name, value] of Object.entries(result.value)) {
      if (value !== null && typeof value === 'object') return { error: errorItem(item, 'invalid_params', `template parameter "${name}" is an object; SMS template variables are text`) };
      if (value !== undefined && value !== null) params[name] = textOf(value);
    }
  }
  return { message: { to: phone.e164, templateId, params } };
}

export const smsNotifyNode = defineNode<SmsNotifyConfig>({
  id: 'notify.sms',
  version: 1,
  title: 'Send SMS',
  description:
    'Sends a template SMS (the vendor-approved template and signature mainland China requires) to the phone number on each item, through the provider of an `sms` connection (Alibaba Cloud SMS). Numbers are normalized to E.164; bare numbers are read as mainland mobiles. Numbers and parameters the vendor refuses send the item to `error`; throttling and vendor outages are retried, and a send whose answer was lost is looked up by its OutId before it is tried again.',
  category: 'notify',
  locales: smsNotifyNodeLocales,
  icon: 'smartphone',
  outputs: ['out', 'error'],
  connection: { type: 'sms', required: true },
  retry: NOTIFY_RETRY,
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'An `sms` connection (provider, accessKeyId, accessKeySecret, signName).' },
      phoneField: { type: 'string', minLength: 1, title: 'Phone field', description: 'The item field with the number, e.g. `phone` (the customer), `owner.phone` (after customer.assign) or `task.owner.phone` (after customer.task).' },
      to: { type: 'string', minLength: 5, title: 'Fixed number', description: 'Instead of a field: one number that receives every message (e.g. the duty manager).' },
      templateId: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', title: 'Template', description: 'The approved template code, e.g. SMS_154950909.' },
      templateIdField: { type: 'string', minLength: 1, title: 'Template field', description: 'Instead of a fixed template: the item field holding the template code.' },
      templateParams: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: {},
        title: 'Template parameters',
        description: 'The template’s variables with `{{field}}` placeholders, e.g. `{"name": "{{name}}", "date": "{{dueAt}}"}` for a template such as 您好${name}，您预约的 ${date} 的回访…',
      },
      templateParamsExpression: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'Template parameters (JSONata)',
        description: 'Builds the variables from the item, e.g. `{ "name": $substring(name, 0, 10) }`; its fields replace those above.',
        'x-widget': 'code',
        'x-language': 'jsonata',
      },
      signName: { type: 'string', minLength: 1, title: 'Signature (签名)', description: 'The approved signature to send with; default the connection’s signName.' },
      allowInternational: { type: 'boolean', default: false, title: 'International numbers', description: 'Allow numbers outside mainland China (they need the provider’s international service and templates).' },
      apiBaseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: `Default ${ALIYUN_SMS_BASE_URL}; a regional endpoint or a proxy.` },
      allowPrivateNetwork: { type: 'boolean', default: false, title: 'Allow private network', description: 'Only for an API base URL on a private address (tests, a local gateway).' },
      ...notifyCommonProperties,
    },
    required: ['connection'],
    allOf: [{ oneOf: [{ required: ['phoneField'] }, { required: ['to'] }] }, { oneOf: [{ required: ['templateId'] }, { required: ['templateIdField'] }] }],
    additionalProperties: false,
  },
  checkConfig(config) {
    if (config.to === undefined) return [];
    const phone = normalizePhone(config.to, { allowInternational: config.allowInternational });
    return 'problem' in phone ? [{ path: '/to', message: phone.problem }] : [];
  },
  sample: {
    config: {
      connection: 'conn_sms',
      phoneField: 'phone',
      templateId: 'SMS_154950909',
      templateParams: { name: '{{name}}' },
      allowInternational: false,
      allowPrivateNetwork: false,
      resultField: 'notification',
      dedupeHours: 168,
    },
    // Empty: the contract run has no SMS API. The node's tests use a local one.
    input: [],
  },
  async run(ctx, items) {
    const c = ctx.config;
    const out: Item[] = [];
    const error: Item[] = [];
    let provider: SmsProvider | undefined;
    for (const [index, item] of items.entries()) {
      if (ctx.signal.aborted) throw new NodeError('aborted', 'the run was cancelled', { retryable: true });
      const built = await messageFor(ctx, item, index);
      if ('error' in built) {
        error.push(built.error);
        continue;
      }
      const { message } = built;
      provider ??= smsProviderFor(ctx.secrets, { apiBaseUrl: c.apiBaseUrl, allowPrivateNetwork: c.allowPrivateNetwork, rateLimitKey: c.connection }, c.connection);
      const sms = provider;
      const key = ctx.idempotencyKey(index);
      const sendCtx: SmsSendContext = { http: ctx.http, cache: ctx.cache, signal: ctx.signal, now: ctx.now, idempotencyKey: key, signName: c.signName };
      const record = (messageId: string, details?: Record<string, unknown>): SmsSentRecord => ({
        channel: 'sms',
        messageId,
        sentAt: ctx.now().toISOString(),
        provider: sms.id,
        to: message.to,
        templateId: message.templateId,
        ...details,
      });
      const delivery = await deliverOnce<SmsSentRecord>({
        cache: ctx.cache,
        now: ctx.now,
        key,
        keepSeconds: keepSecondsOf(c),
        lockSeconds: 60,
        // SMS vendors take no idempotency key: after an attempt whose answer was lost, ask the
        // vendor whether the message went out before sending it again.
        reconcile: sms.findSent
          ? async (startedAt) => {
              const found = await sms.findSent!(message.to, new Date(startedAt), sendCtx);
              return found ? record(found.messageId, found.details) : undefined;
            }
          : undefined,
        async send() {
          try {
            const sent = await sms.send(message.to, message.templateId, message.params, sendCtx);
            return { sent: record(sent.messageId, sent.details) };
          } catch (err) {
            if (err instanceof SmsRefusedError) return { refused: { code: err.code, message: err.message, details: err.details } };
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
