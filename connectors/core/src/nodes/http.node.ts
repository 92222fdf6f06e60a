import {
  defineNode,
  errorItem,
  expressionBindings,
  ExpressionError,
  NodeError,
  type HttpResponse,
  type Item,
  type NodeContext,
} from '@tributary/node-sdk';
import { httpNodeLocales } from './http.node.locale.js';

export interface HttpConfig {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url?: string;
  urlExpression?: string;
  headers: Record<string, string>;
  body: 'none' | 'item' | 'expression';
  bodyExpression?: string;
  timeoutMs: number;
  allowPrivateNetwork: boolean;
  responseField: string;
  idempotencyHeader?: string;
}

const MAX_DETAIL_BODY = 2000;

async function urlFor(ctx: NodeContext<HttpConfig>, item: Item, index: number): Promise<string> {
  const { urlExpression, url } = ctx.config;
  if (!urlExpression) return url!;
  const value = await ctx.expr.evaluate(urlExpression, item, expressionBindings(ctx, { item, index }));
  if (typeof value !== 'string' || value === '') throw new NodeError('invalid_url', `urlExpression must produce a URL string, got ${JSON.stringify(value)}`, { retryable: false });
  return value;
}

async function bodyFor(ctx: NodeContext<HttpConfig>, item: Item, index: number): Promise<unknown> {
  switch (ctx.config.body) {
    case 'item':
      return item;
    case 'expression':
      return ctx.expr.evaluate(ctx.config.bodyExpression!, item, expressionBindings(ctx, { item, index }));
    default:
      return undefined;
  }
}

function parsed(res: HttpResponse): unknown {
  return res.json !== undefined ? res.json : res.body;
}

export const httpNode = defineNode<HttpConfig>({
  id: 'core.http',
  version: 1,
  title: 'HTTP request',
  description: 'Calls an HTTP API once per item and adds the response to the item. 5xx, 429 and network errors are retried; other non-2xx answers send the item to `error`.',
  category: 'io',
  locales: httpNodeLocales,
  icon: 'globe',
  outputs: ['out', 'error'],
  retry: { maxAttempts: 3, backoffMs: 1000 },
  configSchema: {
    type: 'object',
    properties: {
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], default: 'GET', title: 'Method' },
      url: { type: 'string', pattern: '^https?://', title: 'URL', description: 'The URL to call (http or https).' },
      urlExpression: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'URL expression (JSONata)',
        description: 'Builds the URL per item instead of a fixed URL, e.g. `"https://api.example.com/contacts/" & $encodeUrlComponent(id)`.',
        'x-widget': 'code',
      },
      headers: { type: 'object', additionalProperties: { type: 'string' }, default: {}, title: 'Headers', description: 'Request headers, e.g. `{"x-api-key": "…"}`.' },
      body: {
        type: 'string',
        enum: ['none', 'item', 'expression'],
        default: 'none',
        title: 'Body',
        description: 'none: no body. item: the item as JSON. expression: the result of the body expression as JSON.',
      },
      bodyExpression: { type: 'string', format: 'jsonata', minLength: 1, title: 'Body expression (JSONata)', description: 'With body "expression": builds the JSON body from the item.', 'x-widget': 'code' },
      timeoutMs: { type: 'integer', minimum: 1, maximum: 120000, default: 10000, title: 'Timeout (ms)', description: 'Whole-request time limit, at most 120000.' },
      allowPrivateNetwork: {
        type: 'boolean',
        default: false,
        title: 'Allow private network',
        description: 'Allow loopback, link-local and private addresses (off by default: a flow must not reach internal services by accident).',
      },
      responseField: { type: 'string', minLength: 1, default: 'response', title: 'Response field', description: 'The item field that receives `{status, headers, body}`.' },
      idempotencyHeader: {
        type: 'string',
        minLength: 1,
        title: 'Idempotency header',
        description: 'When set (e.g. `Idempotency-Key`), each request carries a key that stays the same when the step is retried.',
      },
    },
    anyOf: [{ required: ['url'] }, { required: ['urlExpression'] }],
    allOf: [{ if: { properties: { body: { const: 'expression' } }, required: ['body'] }, then: { required: ['bodyExpression'] } }],
    additionalProperties: false,
  },
  sample: {
    config: { method: 'POST', url: 'https://api.example.com/leads', headers: { 'x-api-key': 'demo' }, body: 'item', timeoutMs: 10000, allowPrivateNetwork: false, responseField: 'response' },
    input: [{ email: 'ada@example.com' }],
  },
  async run(ctx, items) {
    const c = ctx.config;
    const out: Item[] = [];
    const error: Item[] = [];
    // One request at a time: vendors rate-limit, and a retry re-sends the whole batch anyway.
    for (const [index, item] of items.entries()) {
      if (ctx.signal.aborted) throw new NodeError('aborted', 'the run was cancelled', { retryable: true });
      const url = await urlFor(ctx, item, index);
      const headers = { ...c.headers };
      if (c.idempotencyHeader) headers[c.idempotencyHeader] = ctx.idempotencyKey(index);
      const body = await bodyFor(ctx, item, index);
      let res: HttpResponse;
      try {
        res = await ctx.http.request({ method: c.method, url, headers, body, timeoutMs: c.timeoutMs, allowPrivateNetwork: c.allowPrivateNetwork });
      } catch (err) {
        if (err instanceof NodeError || err instanceof ExpressionError) throw err;
        const e = err as { code?: unknown; retryable?: unknown; message?: unknown };
        // The host's client says whether trying again can help (a blocked address never will).
        const retryable = typeof e.retryable === 'boolean' ? e.retryable : true;
        throw new NodeError(typeof e.code === 'string' ? e.code : 'http_network', `${c.method} ${url} failed: ${String(e.message ?? err)}`, { retryable, details: { url } });
      }
      const summary = { status: res.status, url, body: res.body.length > MAX_DETAIL_BODY ? `${res.body.slice(0, MAX_DETAIL_BODY)}…` : res.body };
      if (res.status >= 500 || res.status === 429) {
        throw new NodeError('http_status', `${c.method} ${url} answered ${res.status}`, { retryable: true, details: summary });
      }
      if (res.status < 200 || res.status >= 300) {
        error.push(errorItem(item, 'http_status', `${c.method} ${url} answered ${res.status}`, summary));
        continue;
      }
      out.push({ ...item, [c.responseField]: { status: res.status, headers: res.headers, body: parsed(res) ?? null } });
    }
    return { out, error };
  },
});
