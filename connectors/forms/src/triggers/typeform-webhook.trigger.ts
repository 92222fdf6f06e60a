import { defineNode, exactNumber, header, hmac, isPlainObject, PayloadError, safeEqual, type Item, type TriggerEvent, type VerifyResult, parseJsonLossless, toIsoTime } from '@tributary/node-sdk';
import { fieldMapSchema } from '../fields/field-map.schema.js';
import { flattenAnswers, mapAnswers, type FieldMap, type FormAnswer, type Scalar, type StandardField } from '../fields/form-fields.util.js';
import { typeformWebhookTriggerLocales } from './typeform-webhook.trigger.locale.js';

export interface TypeformWebhookConfig {
  connection: string;
  fieldMap?: FieldMap;
  includePartial: boolean;
}

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

/** `Typeform-Signature` for a body: `sha256=` + base64 HMAC-SHA256 with the webhook's secret. */
export function typeformSignature(secret: string, rawBody: Buffer | string): string {
  return `sha256=${hmac('sha256', secret, rawBody, 'base64')}`;
}

const TYPE_HINTS: Record<string, StandardField> = { email: 'email', phone_number: 'phone' };

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || (typeof v === 'number' && exactNumber(v)) || typeof v === 'boolean';

/** The value of one Typeform answer, by its type; undefined for types with no plain value (or a label that is not text). */
export function typeformAnswerValue(answer: Record<string, unknown>): Scalar | undefined {
  const type = String(answer.type ?? '');
  const v = answer[type];
  if (type === 'choice' && isPlainObject(v)) return typeof v.label === 'string' ? v.label : typeof v.other === 'string' ? v.other : undefined;
  if (type === 'choices' && isPlainObject(v)) {
    const labels = [...(Array.isArray(v.labels) ? v.labels.filter((l): l is string => typeof l === 'string') : []), ...(typeof v.other === 'string' ? [v.other] : [])];
    return labels.length ? labels.join(', ') : undefined;
  }
  if (type === 'payment' && isPlainObject(v)) return typeof v.amount === 'string' || (typeof v.amount === 'number' && exactNumber(v.amount)) ? v.amount : undefined;
  return isScalar(v) ? v : undefined;
}

/** Answers with the question titles from `definition.fields`, refs kept for the field map. */
function answersOf(response: Record<string, unknown>): FormAnswer[] {
  const definition = isPlainObject(response.definition) ? response.definition : {};
  const fields = Array.isArray(definition.fields) ? definition.fields.filter(isPlainObject) : [];
  const titles = new Map(fields.map((f) => [String(f.id), typeof f.title === 'string' ? f.title.trim() : '']));
  const out: FormAnswer[] = [];
  for (const a of Array.isArray(response.answers) ? response.answers.filter(isPlainObject) : []) {
    const field = isPlainObject(a.field) ? a.field : {};
    const value = typeformAnswerValue(a);
    if (value === undefined || value === '') continue;
    const ref = typeof field.ref === 'string' ? field.ref : undefined;
    const title = titles.get(String(field.id)) || ref || String(field.id ?? a.type);
    out.push({ key: title, label: title, value: typeof value === 'string' ? value.trim() : value, ...(ref ? { ref } : {}), ...(TYPE_HINTS[String(a.type)] ? { hint: TYPE_HINTS[String(a.type)] } : {}) });
  }
  // Hidden fields (utm_source, user ids passed in the form URL) are answers too.
  out.push(...flattenAnswers(isPlainObject(response.hidden) ? response.hidden : {}));
  return out;
}

export const typeformWebhookTrigger = defineNode<TypeformWebhookConfig>({
  id: 'typeform.webhook',
  version: 1,
  title: 'Typeform response',
  description:
    'Receives Typeform webhooks (form_response), checks the Typeform-Signature (HMAC-SHA256 of the raw body with the webhook secret) and emits one item per response: email and phone_number answers as email and phone, other answers by question title (姓名/name, 公司/company, 城市/city, … as the standard fields), hidden fields such as utm_source kept.',
  category: 'trigger',
  locales: typeformWebhookTriggerLocales,
  icon: 'form',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'typeform', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `typeform` connection holding the webhook `secret`.' },
      fieldMap: fieldMapSchema,
      includePartial: { type: 'boolean', default: false, title: 'Partial responses', description: 'Also run on form_response_partial events (eventType form_partial).' },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_typeform', includePartial: false },
    input: [{ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+447700900123', utm_source: 'newsletter', eventType: 'form_submitted', occurredAt: '2025-06-01T08:00:00.000Z', channel: 'typeform', form_id: 'lT4Z3j', raw: {} }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      const secret = ctx.secrets?.secret;
      if (!secret) return deny(`connection ${ctx.config.connection} has no "secret"; set the webhook secret you gave Typeform`);
      const given = header(req, 'typeform-signature')?.trim();
      if (!given) return deny('missing Typeform-Signature header');
      if (!given.startsWith('sha256=')) return deny('Typeform-Signature must start with "sha256="');
      // No signed timestamp: a replay is caught by the event id instead.
      return safeEqual(given, typeformSignature(secret, req.rawBody)) ? { ok: true } : deny('Typeform-Signature does not match');
    },
    decode(req) {
      const payload = parseJsonLossless(req.rawBody.toString('utf8'));
      if (!isPlainObject(payload)) throw new PayloadError('Typeform payload must be a JSON object');
      return payload;
    },
    map(payload, _req, ctx): TriggerEvent[] {
      const p = payload as Record<string, unknown>;
      const partial = p.event_type === 'form_response_partial';
      if (p.event_type !== 'form_response' && !(partial && ctx.config.includePartial)) {
        ctx.log.debug('typeform event ignored', { eventType: p.event_type });
        return [];
      }
      const response = p.form_response;
      if (!isPlainObject(response)) throw new PayloadError('Typeform payload has no form_response object');
      const token = typeof response.token === 'string' ? response.token : undefined;
      const eventId = typeof p.event_id === 'string' ? p.event_id : undefined;
      const definition = isPlainObject(response.definition) ? response.definition : {};
      const item: Item = {
        ...mapAnswers(answersOf(response), ctx.config.fieldMap),
        eventType: partial ? 'form_partial' : 'form_submitted',
        occurredAt: toIsoTime(response.submitted_at) ?? toIsoTime(response.landed_at) ?? ctx.now().toISOString(),
        channel: 'typeform',
        ...(typeof response.form_id === 'string' ? { form_id: response.form_id } : {}),
        ...(typeof definition.title === 'string' ? { form_title: definition.title } : {}),
        ...(token ? { response_id: token } : {}),
        raw: p,
      };
      return [{ dedupeKey: eventId ?? token, items: [item] }];
    },
    respond: () => ({ status: 200, body: { ok: true } }),
  },
});
