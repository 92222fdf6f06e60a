import { createHash } from 'node:crypto';
import { checkTimestamp, defineNode, header, isPlainObject, PayloadError, safeEqual, text, type Item, type TriggerEvent, type VerifyResult, parseJsonLossless, toIsoTime } from '@tributary/node-sdk';
import { fieldMapSchema } from '../fields/field-map.schema.js';
import { flattenAnswers, mapAnswers, type FieldMap, type FormAnswer } from '../fields/form-fields.util.js';
import { jiandaoyunWebhookTriggerLocales } from './jiandaoyun-webhook.trigger.locale.js';

export interface JiandaoyunWebhookConfig {
  connection: string;
  ops: string[];
  widgets?: { name: string; label: string }[];
  fieldMap?: FieldMap;
  toleranceSeconds: number;
}

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

/**
 * `X-JDY-Signature` for a push: hex SHA-1 of `{nonce}:{payload}:{secret}:{timestamp}`, the
 * payload being the raw body and nonce/timestamp the query parameters of the push URL.
 */
export function jiandaoyunSignature(nonce: string, rawBody: Buffer | string, secret: string, timestamp: string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${nonce}:`, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8'), Buffer.from(`:${secret}:${timestamp}`, 'utf8')]))
    .digest('hex');
}

// Record metadata 简道云 adds to `data`; the creator is a 简道云 user, not the person who answered.
const SYSTEM_FIELDS = new Set(['_id', 'appId', 'entryId', 'formName', 'creator', 'updater', 'deleter', 'createTime', 'updateTime', 'deleteTime', 'flowState', 'flow_state']);
const EVENT_TYPES: Record<string, string> = { data_create: 'form_submitted', data_update: 'form_updated', data_recover: 'form_recovered' };

/** The widget answers of a record, labelled with the widget titles the config provides. */
function answersOf(data: Record<string, unknown>, widgets: JiandaoyunWebhookConfig['widgets']): FormAnswer[] {
  const labels = new Map((widgets ?? []).map((w) => [w.name, w.label.trim()]));
  const out: FormAnswer[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (SYSTEM_FIELDS.has(name)) continue;
    const label = labels.get(name) ?? name;
    // Each answer keeps the widget name (id or alias) as its ref, so a field map may use either.
    for (const a of flattenAnswers({ [label]: value })) {
      if (a.label === '_id') continue; // subform row ids
      const ref = a.key === label ? name : a.key.startsWith(`${label}.`) ? `${name}${a.key.slice(label.length)}` : undefined;
      out.push(ref ? { ...a, ref } : a);
    }
  }
  return out;
}

export const jiandaoyunWebhookTrigger = defineNode<JiandaoyunWebhookConfig>({
  id: 'jiandaoyun.webhook',
  version: 1,
  title: '简道云 data push',
  description:
    'Receives 简道云 (Jiandaoyun / Jodoo) data push webhooks, checks X-JDY-Signature (SHA-1 of nonce:payload:secret:timestamp) and the timestamp window, and emits one item per new or changed record. Widget labels (from the `widgets` list or the field aliases) map 手机/电话, 邮箱, 姓名, 公司, 城市 to the standard fields; a field map overrides.',
  category: 'trigger',
  locales: jiandaoyunWebhookTriggerLocales,
  icon: 'form',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'jiandaoyun', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `jiandaoyun` connection holding the push `secret` (数据推送 → Secret).' },
      ops: {
        type: 'array',
        items: { type: 'string', enum: ['data_create', 'data_update', 'data_recover'] },
        minItems: 1,
        uniqueItems: true,
        default: ['data_create', 'data_update'],
        title: 'Push events that run',
        description: 'data_create → eventType form_submitted, data_update → form_updated, data_recover → form_recovered. Other pushes (data_remove, form_update) are acknowledged without a run.',
      },
      widgets: {
        type: 'array',
        title: 'Widget labels',
        description: 'The form’s widgets as `{ "name": "_widget_1616600963783", "label": "手机号码" }` (the `widgets` list of the form-structure push or the widget API). 简道云 pushes widget ids, not labels; with this list the labels find the standard fields.',
        items: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1, title: 'Field name' }, label: { type: 'string', minLength: 1, title: 'Label' } },
          required: ['name', 'label'],
          additionalProperties: true,
        },
      },
      fieldMap: fieldMapSchema,
      toleranceSeconds: { type: 'integer', minimum: 0, default: 300, title: 'Timestamp tolerance (seconds)', description: 'How far the signed `timestamp` query parameter may be from now; 0 disables the window.' },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_jiandaoyun', ops: ['data_create', 'data_update'], toleranceSeconds: 300 },
    input: [{ name: '李雷', phone: '13800138001', company: '上海星河贸易有限公司', eventType: 'form_submitted', occurredAt: '2025-06-01T08:00:00.000Z', channel: 'jiandaoyun', raw: {} }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      const secret = ctx.secrets?.secret;
      if (!secret) return deny(`connection ${ctx.config.connection} has no "secret"; copy the Secret from 简道云 数据推送`);
      const timestamp = req.query.timestamp?.trim();
      const nonce = req.query.nonce;
      if (!timestamp || nonce === undefined) return deny('missing timestamp or nonce query parameter');
      const given = header(req, 'x-jdy-signature')?.trim().toLowerCase();
      if (!given) return deny('missing X-JDY-Signature header');
      if (!safeEqual(given, jiandaoyunSignature(nonce, req.rawBody, secret, timestamp))) return deny('X-JDY-Signature does not match');
      return checkTimestamp(timestamp, ctx.now(), ctx.config.toleranceSeconds);
    },
    decode(req) {
      const payload = parseJsonLossless(req.rawBody.toString('utf8'));
      if (!isPlainObject(payload) || typeof payload.op !== 'string') throw new PayloadError('简道云 push must be a JSON object with an "op"');
      return payload;
    },
    map(payload, req, ctx): TriggerEvent[] {
      const p = payload as Record<string, unknown>;
      const op = p.op as string;
      if (!ctx.config.ops.includes(op) || !(op in EVENT_TYPES)) {
        ctx.log.debug('简道云 push ignored', { op });
        return [];
      }
      const data = p.data;
      if (!isPlainObject(data)) throw new PayloadError(`简道云 ${op} push has no data object`);
      const recordId = typeof data._id === 'string' ? data._id : undefined;
      const changedAt = op === 'data_create' ? data.createTime : (data.updateTime ?? data.createTime);
      const item: Item = {
        ...mapAnswers(answersOf(data, ctx.config.widgets), ctx.config.fieldMap),
        eventType: EVENT_TYPES[op]!,
        occurredAt: toIsoTime(changedAt) ?? ctx.now().toISOString(),
        channel: 'jiandaoyun',
        ...(typeof data.entryId === 'string' ? { form_id: data.entryId } : {}),
        ...(typeof data.formName === 'string' ? { form_title: data.formName } : {}),
        ...(recordId ? { submission_id: recordId } : {}),
        raw: p,
      };
      // X-JDY-DeliverId is unique per push and repeated on a retry.
      const deliverId = header(req, 'x-jdy-deliverid')?.trim();
      const dedupeKey = deliverId || (recordId ? `${op}:${recordId}:${text(changedAt) ?? ''}` : undefined);
      return [{ dedupeKey, items: [item] }];
    },
    respond: () => ({ status: 200, body: { ok: true } }),
  },
});
