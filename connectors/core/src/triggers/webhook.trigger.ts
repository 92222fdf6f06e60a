import { createHash } from 'node:crypto';
import {
  checkTimestamp,
  createExpressionEvaluator,
  defineNode,
  ExpressionError,
  header,
  hmac,
  isPlainObject,
  safeEqual,
  type HmacAlgorithm,
  type Item,
  type TriggerContext,
  type VerifyResult,
  type WebhookRequest,
} from '@tributary/node-sdk';
import { webhookTriggerLocales } from './webhook.trigger.locale.js';

export interface WebhookConfig {
  auth: 'none' | 'hmac' | 'token';
  connection?: string;
  signatureHeader: string;
  signaturePrefix: string;
  algorithm: HmacAlgorithm;
  encoding: 'hex' | 'base64';
  tokenHeader: string;
  timestampHeader?: string;
  toleranceSeconds: number;
  dedupe: 'header' | 'expression' | 'body-hash' | 'none';
  dedupeHeader?: string;
  dedupeExpression?: string;
  itemsPath?: string;
  methods: string[];
}

/** Headers senders commonly use for a delivery id, tried in this order. */
export const DEFAULT_DEDUPE_HEADERS = ['idempotency-key', 'x-idempotency-key', 'x-request-id', 'x-delivery-id'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// map() has no ctx.expr: triggers run in the API before any run exists.
const expr = createExpressionEvaluator({ timeoutMs: 200 });

const deny = (reason: string, status = 401): VerifyResult => ({ ok: false, reason, status });

function verifyToken(req: WebhookRequest, ctx: TriggerContext<WebhookConfig>): VerifyResult {
  const c = ctx.config;
  const expected = ctx.secrets?.token;
  if (!expected) return deny(`connection ${c.connection ?? '(none)'} has no "token" secret; token auth cannot pass without it`);
  const raw = header(req, c.tokenHeader)?.trim();
  if (!raw) return deny(`missing ${c.tokenHeader} header`);
  const token = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, '') : raw;
  return safeEqual(token, expected) ? { ok: true } : deny('token does not match');
}

function verifyHmac(req: WebhookRequest, ctx: TriggerContext<WebhookConfig>): VerifyResult {
  const c = ctx.config;
  const secret = ctx.secrets?.secret;
  if (!secret) return deny(`connection ${c.connection ?? '(none)'} has no "secret"; HMAC auth cannot pass without it`);
  const signature = header(req, c.signatureHeader)?.trim();
  if (!signature) return deny(`missing ${c.signatureHeader} header`);
  let signed: Buffer = req.rawBody;
  let timestamp: string | undefined;
  if (c.timestampHeader) {
    timestamp = header(req, c.timestampHeader)?.trim();
    if (!timestamp) return deny(`missing ${c.timestampHeader} header`);
    // The timestamp is part of what is signed, so it cannot be swapped for a fresh one.
    signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), req.rawBody]);
  }
  const prefix = c.signaturePrefix;
  if (prefix && signature.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return deny(`signature must start with "${prefix}"`);
  let provided = signature.slice(prefix.length);
  if (c.encoding === 'hex') provided = provided.toLowerCase();
  if (!safeEqual(provided, hmac(c.algorithm, secret, signed, c.encoding))) return deny('signature does not match');
  if (timestamp !== undefined) {
    const window = checkTimestamp(timestamp, ctx.now(), c.toleranceSeconds);
    if (!window.ok) return window;
  }
  return { ok: true };
}

/** The items a payload carries: the array at itemsPath, the payload array, or the payload itself. */
export function itemsOf(payload: unknown, itemsPath?: string): Item[] {
  let target: unknown = payload;
  if (itemsPath) {
    let v: unknown = payload;
    for (const seg of itemsPath.split('.')) v = isPlainObject(v) ? v[seg] : Array.isArray(v) && /^\d+$/.test(seg) ? v[Number(seg)] : undefined;
    if (Array.isArray(v)) target = v;
  }
  if (Array.isArray(target)) return target.filter((e) => e !== null && e !== undefined).map((e) => (isPlainObject(e) ? e : { value: e }));
  return isPlainObject(target) ? [target] : [{ value: target }];
}

async function dedupeKeyOf(payload: unknown, req: WebhookRequest, ctx: TriggerContext<WebhookConfig>): Promise<string | undefined> {
  const c = ctx.config;
  switch (c.dedupe) {
    case 'header': {
      for (const name of c.dedupeHeader ? [c.dedupeHeader] : DEFAULT_DEDUPE_HEADERS) {
        const v = header(req, name)?.trim();
        if (v) return v;
      }
      return undefined;
    }
    case 'expression': {
      try {
        const key = await expr.evaluate(c.dedupeExpression!, payload);
        if (key === undefined || key === null || key === '') return undefined;
        return typeof key === 'string' ? key : JSON.stringify(key);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        // Better a possible duplicate run than a delivery the sender retries forever.
        ctx.log.warn('dedupe expression failed; delivery accepted without a dedupe key', { error: err.message });
        return undefined;
      }
    }
    case 'body-hash':
      return `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`;
    default:
      return undefined;
  }
}

export const webhookTrigger = defineNode<WebhookConfig>({
  id: 'core.webhook',
  version: 1,
  title: 'Webhook',
  description: 'Starts a run for each HTTP request sent to the flow’s webhook URL, optionally checking an HMAC signature or a token.',
  category: 'trigger',
  locales: webhookTriggerLocales,
  pure: true,
  icon: 'webhook',
  inputs: [],
  outputs: ['out'],
  configSchema: {
    type: 'object',
    properties: {
      auth: {
        type: 'string',
        enum: ['none', 'hmac', 'token'],
        default: 'none',
        title: 'Authentication',
        description: 'none: accept any request. hmac: check a signature of the raw body with the connection’s `secret`. token: compare a header with the connection’s `token`.',
      },
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'The connection that holds the secret (`secret` for HMAC, `token` for token auth). Required unless authentication is none.' },
      signatureHeader: { type: 'string', minLength: 1, default: 'x-signature-256', title: 'Signature header', description: 'The header carrying the HMAC signature.' },
      signaturePrefix: { type: 'string', default: 'sha256=', title: 'Signature prefix', description: 'Text before the signature in the header, e.g. `sha256=`; empty when there is none.' },
      algorithm: { type: 'string', enum: ['sha256', 'sha1', 'sha512'], default: 'sha256', title: 'HMAC algorithm' },
      encoding: { type: 'string', enum: ['hex', 'base64'], default: 'hex', title: 'Signature encoding' },
      tokenHeader: { type: 'string', minLength: 1, default: 'authorization', title: 'Token header', description: 'The header carrying the token, as `Bearer <token>` or the bare token.' },
      timestampHeader: {
        type: 'string',
        minLength: 1,
        title: 'Timestamp header',
        description: 'A header with the send time in Unix seconds. When set, the HMAC is computed over `<timestamp>.<body>` and old requests are refused.',
      },
      toleranceSeconds: { type: 'integer', minimum: 0, default: 300, title: 'Timestamp tolerance (seconds)', description: 'How far the timestamp may be from now. 0 disables the check.' },
      dedupe: {
        type: 'string',
        enum: ['header', 'expression', 'body-hash', 'none'],
        default: 'header',
        title: 'Duplicate detection',
        description:
          'How a repeated delivery is recognised (it is acknowledged without a second run). header: a delivery-id header (Idempotency-Key, X-Idempotency-Key, X-Request-Id, X-Delivery-Id, or the one named below). expression: a JSONata expression over the payload. body-hash: identical bodies. none: every request runs.',
      },
      dedupeHeader: { type: 'string', minLength: 1, title: 'Delivery id header', description: 'With duplicate detection by header: the header to use instead of the usual ones.' },
      dedupeExpression: { type: 'string', format: 'jsonata', minLength: 1, title: 'Delivery id expression', description: 'With duplicate detection by expression: JSONata over the payload that yields the event id, e.g. `event.id`.', 'x-scope': 'none' },
      itemsPath: {
        type: 'string',
        pattern: '^[^.]+(\\.[^.]+)*$',
        title: 'Items path',
        description: 'Dot path to an array in the payload (e.g. `data.leads`) whose elements become the items. Otherwise an array payload gives one item per element and an object payload is one item.',
      },
      methods: {
        type: 'array',
        items: { type: 'string', enum: METHODS },
        minItems: 1,
        uniqueItems: true,
        default: ['POST'],
        title: 'HTTP methods',
        description: 'Methods accepted; others are answered with 405.',
      },
    },
    allOf: [
      { if: { properties: { auth: { enum: ['hmac', 'token'] } }, required: ['auth'] }, then: { required: ['connection'] } },
      { if: { properties: { dedupe: { const: 'expression' } }, required: ['dedupe'] }, then: { required: ['dedupeExpression'] } },
    ],
    additionalProperties: false,
  },
  sample: {
    config: {
      auth: 'hmac',
      connection: 'conn_webhook',
      signatureHeader: 'x-hub-signature-256',
      signaturePrefix: 'sha256=',
      algorithm: 'sha256',
      encoding: 'hex',
      tokenHeader: 'authorization',
      toleranceSeconds: 300,
      dedupe: 'header',
      methods: ['POST'],
    },
    input: [{ event: 'lead.created', name: 'Ada Lovelace', email: 'ada@example.com' }],
  },
  trigger: {
    kind: 'webhook',
    // Every method reaches verify, which enforces the configured ones (config can't change this list).
    methods: METHODS,
    verify(req, ctx) {
      const method = req.method.toUpperCase();
      if (!ctx.config.methods.includes(method)) return deny(`method ${method} is not accepted; use ${ctx.config.methods.join(' or ')}`, 405);
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
    async map(payload, req, ctx) {
      const items = itemsOf(payload, ctx.config.itemsPath);
      if (items.length === 0) return [];
      return [{ dedupeKey: await dedupeKeyOf(payload, req, ctx), items }];
    },
  },
});
