import { createHash } from 'node:crypto';
import { checkTimestamp, defineNode, header, hmac, isPlainObject, safeEqual, type HmacAlgorithm, type Item, type TriggerContext, type TriggerEvent, type VerifyResult, type WebhookRequest, parseJsonLossless, toIsoTime } from '@tributary/node-sdk';
import { flattenAnswers, mapAnswers, squashLabel, type FieldMap } from '../fields/form-fields.util.js';
import { fieldMapSchema } from '../fields/field-map.schema.js';
import { decodeFormBody } from '../util/form-body.util.js';
import { formWebhookTriggerLocales } from './form-webhook.trigger.locale.js';

export interface FormWebhookConfig {
  auth: 'none' | 'token' | 'hmac';
  connection?: string;
  tokenHeader: string;
  tokenQuery: string;
  signatureHeader: string;
  algorithm: HmacAlgorithm;
  encoding: 'hex' | 'base64';
  timestampHeader?: string;
  toleranceSeconds: number;
  fieldMap?: FieldMap;
  submissionIdField?: string;
  submissionIdHeader?: string;
  eventType: string;
  channel: string;
  utcOffset: string;
}

/** Body fields that commonly carry a submission id (matched ignoring case and `_`). */
export const SUBMISSION_ID_FIELDS = ['submission_id', 'submissionID', 'response_id', 'serial_number', 'entry_serial_number'];
/** Headers senders commonly use for a delivery id. */
export const SUBMISSION_ID_HEADERS = ['idempotency-key', 'x-idempotency-key', 'webhook-id', 'x-webhook-id', 'x-request-id', 'x-delivery-id'];
const TIME_FIELDS = ['submitted_at', 'submit_time', 'created_at', 'create_time', 'timestamp', '提交时间'];

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });

function verifyToken(req: WebhookRequest, ctx: TriggerContext<FormWebhookConfig>): VerifyResult {
  const c = ctx.config;
  const expected = ctx.secrets?.token;
  if (!expected) return deny(`connection ${c.connection ?? '(none)'} has no "token" secret; token auth cannot pass without it`);
  const fromHeader = header(req, c.tokenHeader)?.trim().replace(/^bearer\s+/i, '');
  const given = fromHeader || req.query[c.tokenQuery]?.trim();
  if (!given) return deny(`missing token: send it in the ${c.tokenHeader} header or the ?${c.tokenQuery}= query parameter`);
  return safeEqual(given, expected) ? { ok: true } : deny('token does not match');
}

function verifyHmac(req: WebhookRequest, ctx: TriggerContext<FormWebhookConfig>): VerifyResult {
  const c = ctx.config;
  const secret = ctx.secrets?.secret;
  if (!secret) return deny(`connection ${c.connection ?? '(none)'} has no "secret"; HMAC auth cannot pass without it`);
  let signature = header(req, c.signatureHeader)?.trim();
  if (!signature) return deny(`missing ${c.signatureHeader} header`);
  // `sha256=<digest>` (GitHub style) and a bare digest are both common.
  if (signature.toLowerCase().startsWith(`${c.algorithm}=`)) signature = signature.slice(c.algorithm.length + 1);
  if (c.encoding === 'hex') signature = signature.toLowerCase();
  let signed: Buffer = req.rawBody;
  let timestamp: string | undefined;
  if (c.timestampHeader) {
    timestamp = header(req, c.timestampHeader)?.trim();
    if (!timestamp) return deny(`missing ${c.timestampHeader} header`);
    // The timestamp is signed with the body, so a captured request cannot be replayed with a fresh one.
    signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), req.rawBody]);
  }
  if (!safeEqual(signature, hmac(c.algorithm, secret, signed, c.encoding))) return deny('signature does not match');
  if (timestamp !== undefined) {
    const seconds = /^\d{13}$/.test(timestamp) ? Number(timestamp) / 1000 : timestamp;
    return checkTimestamp(seconds, ctx.now(), c.toleranceSeconds);
  }
  return { ok: true };
}

function readPath(value: unknown, path: string): unknown {
  let v = value;
  for (const seg of path.split('.')) v = isPlainObject(v) ? v[seg] : Array.isArray(v) && /^\d+$/.test(seg) ? v[Number(seg)] : undefined;
  return v;
}

const idText = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

function topLevel(payload: Record<string, unknown>, names: string[]): unknown {
  const wanted = names.map(squashLabel);
  for (const w of wanted) {
    const key = Object.keys(payload).find((k) => squashLabel(k) === w);
    if (key !== undefined && payload[key] !== undefined && payload[key] !== '') return payload[key];
  }
  return undefined;
}

/** The submission's id: a body field (configured, then usual), a header (configured, then usual), else a hash of the body. */
function submissionKey(payload: Record<string, unknown>, req: WebhookRequest, c: FormWebhookConfig, index: number | undefined): string {
  // A delivery id names the whole request: in a batch each submission gets its own suffix.
  const perRequest = (key: string | undefined) => (key && index !== undefined ? `${key}:${index}` : key);
  const fromBody = (c.submissionIdField ? idText(readPath(payload, c.submissionIdField)) : undefined) ?? idText(topLevel(payload, SUBMISSION_ID_FIELDS));
  if (fromBody) return fromBody;
  const fromHeader = (c.submissionIdHeader ? idText(header(req, c.submissionIdHeader)) : undefined) ?? SUBMISSION_ID_HEADERS.map((h) => idText(header(req, h))).find(Boolean);
  return perRequest(fromHeader) ?? perRequest(`sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`)!;
}

/** Jotform sends the answers as a JSON string in `rawRequest`; use them instead of the prettified copy. */
function expandRawRequest(payload: Record<string, unknown>): Record<string, unknown> {
  const raw = payload.rawRequest;
  if (typeof raw !== 'string' || !raw.trim().startsWith('{')) return payload;
  try {
    const answers = parseJsonLossless(raw, 'rawRequest');
    if (!isPlainObject(answers)) return payload;
    const { rawRequest: _r, pretty: _p, ...rest } = payload;
    return { ...rest, ...answers };
  } catch {
    return payload;
  }
}

/** The item of one submission (exported for the tests and for triggers built on it). */
export function formItem(payload: Record<string, unknown>, req: WebhookRequest, ctx: TriggerContext<FormWebhookConfig>): Item {
  const c = ctx.config;
  const fields = mapAnswers(flattenAnswers(expandRawRequest(payload)), c.fieldMap);
  // utm_* on the webhook URL tag every submission (e.g. one URL per landing page); the body wins.
  for (const [k, v] of Object.entries(req.query)) {
    const m = /^utm_([a-z]+)$/i.exec(k);
    if (m && v && !(`utm_${m[1]!.toLowerCase()}` in fields)) fields[`utm_${m[1]!.toLowerCase()}`] = v;
  }
  const occurredAt = toIsoTime(topLevel(payload, TIME_FIELDS), c.utcOffset) ?? ctx.now().toISOString();
  return { ...fields, eventType: c.eventType, occurredAt, channel: c.channel, raw: payload };
}

export const formWebhookTrigger = defineNode<FormWebhookConfig>({
  id: 'forms.webhook',
  version: 1,
  title: 'Web form submission',
  description:
    'Receives submissions from any form tool that posts JSON or form-urlencoded data (your site, Jotform, 金数据, 腾讯问卷, WordPress plugins, …). Optionally checks a shared token or an HMAC signature. Maps 手机/电话/mobile/phone, 邮箱/email, 姓名/name, 公司/company, 城市/city and utm_* to the standard fields (a field map overrides), flattens nested answers, and emits one item per submission with eventType form_submitted.',
  category: 'trigger',
  locales: formWebhookTriggerLocales,
  icon: 'form',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'forms', required: false },
  configSchema: {
    type: 'object',
    properties: {
      auth: {
        type: 'string',
        enum: ['none', 'token', 'hmac'],
        default: 'none',
        title: 'Authentication',
        description: 'none: accept any submission. token: the connection’s `token` must come in a header or the `?token=` query. hmac: a signature of the raw body with the connection’s `secret`.',
      },
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A `forms` connection holding `token` (token auth) or `secret` (HMAC auth). Required unless authentication is none.' },
      tokenHeader: { type: 'string', minLength: 1, default: 'authorization', title: 'Token header', description: 'Header with the token, bare or as `Bearer <token>`.' },
      tokenQuery: { type: 'string', minLength: 1, default: 'token', title: 'Token query parameter', description: 'For tools that only let you paste a URL: `https://<host>/hooks/<flow>/<node>?token=<token>`.' },
      signatureHeader: { type: 'string', minLength: 1, default: 'x-signature', title: 'Signature header', description: 'Header with the HMAC; a leading `sha256=` (the algorithm name) is accepted.' },
      algorithm: { type: 'string', enum: ['sha256', 'sha1', 'sha512'], default: 'sha256', title: 'HMAC algorithm' },
      encoding: { type: 'string', enum: ['hex', 'base64'], default: 'hex', title: 'Signature encoding' },
      timestampHeader: {
        type: 'string',
        minLength: 1,
        title: 'Timestamp header',
        description: 'A header with the send time (Unix seconds or milliseconds). When set, the HMAC covers `<timestamp>.<body>` and old requests are refused.',
      },
      toleranceSeconds: { type: 'integer', minimum: 0, default: 300, title: 'Timestamp tolerance (seconds)', description: 'How far the signed timestamp may be from now; 0 disables the window.' },
      fieldMap: fieldMapSchema,
      submissionIdField: { type: 'string', minLength: 1, title: 'Submission id field', description: 'Dot path in the body to the submission id (duplicate deliveries of one id run once). Default: submission_id, submissionID, response_id or serial_number when present.' },
      submissionIdHeader: { type: 'string', minLength: 1, title: 'Submission id header', description: 'A header with the delivery id. Default: Idempotency-Key, Webhook-Id, X-Request-Id or X-Delivery-Id when present; otherwise a hash of the body.' },
      eventType: { type: 'string', minLength: 1, maxLength: 100, default: 'form_submitted', title: 'Event type', description: 'The `eventType` of each item.' },
      channel: { type: 'string', minLength: 1, maxLength: 100, default: 'web_form', title: 'Channel', description: 'The `channel` of each item, e.g. `website` or `jinshuju`.' },
      utcOffset: { type: 'string', pattern: '^[+-]\\d{2}:\\d{2}$', default: '+08:00', title: 'Time zone of zone-less times', description: 'Offset used to read a submitted time such as `2024-05-01 10:00:00`.' },
    },
    allOf: [{ if: { properties: { auth: { enum: ['token', 'hmac'] } }, required: ['auth'] }, then: { required: ['connection'] } }],
    additionalProperties: false,
  },
  sample: {
    config: { auth: 'token', connection: 'conn_forms', tokenHeader: 'authorization', tokenQuery: 'token', signatureHeader: 'x-signature', algorithm: 'sha256', encoding: 'hex', toleranceSeconds: 300, eventType: 'form_submitted', channel: 'web_form', utcOffset: '+08:00' },
    input: [{ name: '张三', phone: '13912345670', email: 'zhangsan@example.com', company: '杭州云帆科技', eventType: 'form_submitted', occurredAt: '2025-06-01T08:00:00.000Z', channel: 'web_form', raw: { 姓名: '张三' } }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    verify(req, ctx) {
      switch (ctx.config.auth) {
        case 'none':
          return { ok: true };
        case 'token':
          return verifyToken(req, ctx);
        case 'hmac':
          return verifyHmac(req, ctx);
        default:
          return deny(`unknown auth mode ${String(ctx.config.auth)}`);
      }
    },
    decode: (req) => decodeFormBody(req),
    map(payload, req, ctx): TriggerEvent[] {
      // A batch (array body) is one run per submission, each deduplicated on its own.
      const submissions = Array.isArray(payload) ? payload.filter(isPlainObject) : isPlainObject(payload) ? [payload] : [];
      const batch = Array.isArray(payload);
      return submissions.map((s, i) => ({ dedupeKey: submissionKey(s, req, ctx.config, batch ? i : undefined), items: [formItem(s, req, ctx)] }));
    },
    respond: () => ({ status: 200, body: { ok: true } }),
  },
});
