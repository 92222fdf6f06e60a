import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { defineNode, errorItem, isPlainObject, NodeError, type ConfigIssue, type Item, type NodeContext } from '@tributary/node-sdk';
import { deliverOnce, type SentNotification } from '../shared/deliver-once.util.js';
import { evaluateForItem, keepSecondsOf, listOf, NOTIFY_RETRY, notifyCommonProperties, sentItem, type NotifyCommonConfig } from '../shared/notify-node.util.js';
import { escapeHtml, renderTemplate, valueAt } from '../shared/template.util.js';
import { bareAddress, domainOf } from './email-address.util.js';
import { classifySmtpError, openSmtpTransport, smtpSettings, type SmtpSettings } from './smtp-transport.util.js';
import { emailNotifyNodeLocales } from './email.node.locale.js';

export interface EmailNotifyConfig extends NotifyCommonConfig {
  connection: string;
  to?: string[];
  toField?: string;
  cc?: string[];
  ccField?: string;
  bcc?: string[];
  replyTo?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageExpression?: string;
  timeoutMs: number;
}

export interface EmailSent extends SentNotification {
  channel: 'email';
  accepted: string[];
  rejected: string[];
}

interface Message {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text?: string;
  html?: string;
}

const LIST_SEPARATOR = /[,;]/;
const MAX_RECIPIENTS = 50;

/** Recipients of one list: the fixed ones plus the item's field; undefined with the bad value when one is not an address. */
function recipients(fixed: string[] | undefined, field: string | undefined, item: Item): { list: string[] } | { bad: string } {
  const values = [...(fixed ?? []), ...(field ? listOf(valueAt(item, field), LIST_SEPARATOR) : [])];
  const list: string[] = [];
  for (const v of values) {
    if (!bareAddress(v)) return { bad: v };
    if (!list.some((x) => bareAddress(x)!.toLowerCase() === bareAddress(v)!.toLowerCase())) list.push(v);
  }
  return { list };
}

/** The message for one item, or the reason it cannot be built (the item's error). */
async function messageFor(ctx: NodeContext<EmailNotifyConfig>, item: Item, index: number): Promise<{ message: Message } | { error: Item }> {
  const c = ctx.config;
  const to = recipients(c.to, c.toField, item);
  if ('bad' in to) return { error: errorItem(item, 'invalid_recipient', `"${to.bad.slice(0, 100)}" is not an email address`) };
  if (to.list.length === 0) return { error: errorItem(item, 'no_recipient', c.toField ? `the item has no address in "${c.toField}"` : 'no recipient') };
  const cc = recipients(c.cc, c.ccField, item);
  if ('bad' in cc) return { error: errorItem(item, 'invalid_recipient', `"${cc.bad.slice(0, 100)}" is not an email address`) };
  const bcc = recipients(c.bcc, undefined, item);
  if ('bad' in bcc) return { error: errorItem(item, 'invalid_recipient', `"${bcc.bad.slice(0, 100)}" is not an email address`) };
  if (to.list.length + cc.list.length + bcc.list.length > MAX_RECIPIENTS) {
    return { error: errorItem(item, 'too_many_recipients', `more than ${MAX_RECIPIENTS} recipients; this node sends notifications, not bulk mail`) };
  }

  let subject = c.subject !== undefined ? renderTemplate(c.subject, item) : undefined;
  let text = c.text !== undefined ? renderTemplate(c.text, item) : undefined;
  let html = c.html !== undefined ? renderTemplate(c.html, item, escapeHtml) : undefined;
  if (c.messageExpression) {
    const result = await evaluateForItem(ctx, c.messageExpression, item, index);
    if ('error' in result) return result;
    const v = result.value;
    if (!isPlainObject(v)) return { error: errorItem(item, 'invalid_message', 'the message expression must produce an object such as {"subject": …, "text": …, "html": …}') };
    for (const k of ['subject', 'text', 'html'] as const) {
      if (v[k] !== undefined && v[k] !== null && typeof v[k] !== 'string') return { error: errorItem(item, 'invalid_message', `the message expression produced a ${typeof v[k]} for "${k}"; it must be a string`) };
    }
    if (typeof v.subject === 'string') subject = v.subject;
    if (typeof v.text === 'string') text = v.text;
    if (typeof v.html === 'string') html = v.html;
  }
  // A subject is one header line: line breaks in a field value must not start new headers.
  subject = subject?.replace(/[\r\n]+/g, ' ').trim();
  if (!subject) return { error: errorItem(item, 'empty_message', 'the subject is empty for this item') };
  if (!text && !html) return { error: errorItem(item, 'empty_message', 'the message has neither text nor HTML for this item') };
  return { message: { to: to.list, cc: cc.list, bcc: bcc.list, subject, text: text || undefined, html: html || undefined } };
}

/** A Message-ID that stays the same when the step is retried (mail systems drop a duplicate by it). */
export function emailMessageId(idempotencyKey: string, from: string): string {
  const local = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `<${local}@${domainOf(from) ?? 'tributary.invalid'}>`;
}

export const emailNotifyNode = defineNode<EmailNotifyConfig>({
  id: 'notify.email',
  version: 1,
  title: 'Send email',
  description:
    'Sends one email per item through the SMTP server of an `smtp` connection. Recipients come from a field of the item and/or a fixed list; subject, text and HTML are templates with `{{field}}` placeholders (values are HTML-escaped in the HTML body) or a JSONata expression. Refused recipients or messages go to `error`; an unreachable server or a 4xx reply is retried. The Message-ID stays the same across retries.',
  category: 'notify',
  locales: emailNotifyNodeLocales,
  icon: 'mail',
  outputs: ['out', 'error'],
  connection: { type: 'smtp', required: true },
  retry: NOTIFY_RETRY,
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'An `smtp` connection (host, port, secure, user, password, from).' },
      toField: {
        type: 'string',
        minLength: 1,
        title: 'Recipient field',
        description: 'The item field holding the address (or a list, or a comma-separated string), e.g. `owner.email` (the owner customer.assign chose), `task.owner.email` (after customer.task) or `email` (the customer).',
      },
      to: { type: 'array', items: { type: 'string', minLength: 3 }, maxItems: 50, title: 'Fixed recipients', description: 'Addresses that receive every message, e.g. a team mailbox.' },
      ccField: { type: 'string', minLength: 1, title: 'Cc field', description: 'An item field with more addresses to copy.' },
      cc: { type: 'array', items: { type: 'string', minLength: 3 }, maxItems: 50, title: 'Cc', description: 'Addresses copied on every message.' },
      bcc: { type: 'array', items: { type: 'string', minLength: 3 }, maxItems: 50, title: 'Bcc', description: 'Addresses blind-copied on every message.' },
      replyTo: { type: 'string', minLength: 3, title: 'Reply-To', description: 'Where replies go, when not to the sender.' },
      subject: { type: 'string', minLength: 1, title: 'Subject', description: 'With `{{field}}` placeholders, e.g. `New lead: {{name}} ({{company}})`.' },
      text: { type: 'string', minLength: 1, title: 'Text body', description: 'Plain text with `{{field}}` placeholders.', 'x-widget': 'textarea' },
      html: { type: 'string', minLength: 1, title: 'HTML body', description: 'HTML with `{{field}}` placeholders; inserted values are HTML-escaped.', 'x-widget': 'code', 'x-language': 'html' },
      messageExpression: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'Message (JSONata)',
        description: 'Instead of (or on top of) the templates: builds `{ "subject": …, "text": …, "html": … }` from the item; the fields it returns replace the templates’.',
        'x-widget': 'code',
        'x-language': 'jsonata',
      },
      timeoutMs: { type: 'integer', minimum: 1000, maximum: 120000, default: 30000, title: 'Timeout (ms)', description: 'For connecting, the greeting and each SMTP command.' },
      ...notifyCommonProperties,
    },
    required: ['connection'],
    allOf: [
      { anyOf: [{ required: ['toField'] }, { required: ['to'] }] },
      { anyOf: [{ required: ['messageExpression'] }, { required: ['subject'], anyOf: [{ required: ['text'] }, { required: ['html'] }] }] },
    ],
    additionalProperties: false,
  },
  checkConfig(config) {
    const issues: ConfigIssue[] = [];
    for (const [list, name] of [[config.to, 'to'], [config.cc, 'cc'], [config.bcc, 'bcc']] as const) {
      (list ?? []).forEach((a, i) => {
        if (!bareAddress(a)) issues.push({ path: `/${name}/${i}`, message: `"${a}" is not an email address` });
      });
    }
    if (config.replyTo !== undefined && !bareAddress(config.replyTo)) issues.push({ path: '/replyTo', message: `"${config.replyTo}" is not an email address` });
    return issues;
  },
  sample: {
    config: {
      connection: 'conn_smtp',
      toField: 'owner.email',
      subject: '新线索：{{name}}（{{company}}）',
      text: '{{owner.name}}，你好：\n\n新线索 {{name}}，电话 {{phone}}，来自 {{channel}}。请在 24 小时内跟进。',
      html: '<p>{{owner.name}}，你好：</p><p>新线索 <b>{{name}}</b>，电话 {{phone}}，来自 {{channel}}。请在 24 小时内跟进。</p>',
      timeoutMs: 30000,
      resultField: 'notification',
      dedupeHours: 168,
    },
    // Empty: the contract run has no SMTP server to talk to. The node's tests use a local one.
    input: [],
  },
  async run(ctx, items) {
    const c = ctx.config;
    const out: Item[] = [];
    const error: Item[] = [];
    let settings: SmtpSettings | undefined;
    let transport: Transporter | undefined;
    const lockSeconds = Math.ceil((c.timeoutMs * 4) / 1000) + 30;
    try {
      for (const [index, item] of items.entries()) {
        if (ctx.signal.aborted) throw new NodeError('aborted', 'the run was cancelled', { retryable: true });
        const built = await messageFor(ctx, item, index);
        if ('error' in built) {
          error.push(built.error);
          continue;
        }
        const { message } = built;
        settings ??= smtpSettings(ctx.secrets, c.connection);
        const smtp = settings;
        const key = ctx.idempotencyKey(index);
        const messageId = emailMessageId(key, smtp.from);
        const delivery = await deliverOnce<EmailSent>({
          cache: ctx.cache,
          now: ctx.now,
          key,
          keepSeconds: keepSecondsOf(c),
          lockSeconds,
          async send() {
            // One connection for the batch, opened only when something is to be sent.
            transport ??= await openSmtpTransport(smtp, { timeoutMs: c.timeoutMs });
            try {
              const info = await transport.sendMail({
                from: smtp.from,
                to: message.to,
                cc: message.cc.length ? message.cc : undefined,
                bcc: message.bcc.length ? message.bcc : undefined,
                replyTo: c.replyTo,
                subject: message.subject,
                text: message.text,
                html: message.html,
                messageId,
                signal: ctx.signal,
              });
              const list = (v: unknown) => (Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: unknown }).address ?? a))) : []);
              return { sent: { channel: 'email', messageId: info.messageId ?? messageId, sentAt: ctx.now().toISOString(), accepted: list(info.accepted), rejected: list(info.rejected) } };
            } catch (err) {
              const failure = classifySmtpError(err, smtp.host);
              if (failure.kind === 'refused') return { refused: { code: failure.code, message: failure.message, details: { responseCode: failure.responseCode, messageId } } };
              throw failure.error;
            }
          },
        });
        if ('refused' in delivery) error.push(errorItem(item, delivery.refused.code, delivery.refused.message, delivery.refused.details));
        else out.push(sentItem(item, c, delivery.sent));
      }
    } finally {
      (transport as Transporter | undefined)?.close();
    }
    return { out, error };
  },
});
