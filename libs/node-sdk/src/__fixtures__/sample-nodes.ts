import { NodeError, type Item } from '@tributary/engine';
import { defineNode } from '../define-node.js';
import { header, hmac, safeEqual } from '../webhook.util.js';

/** Upper-cases a field through ctx.expr and writes customers through ctx.store. */
export const shoutNode = defineNode<{ field: string; save: boolean }>({
  id: 'acme.shout',
  version: 1,
  title: 'Shout',
  description: 'Upper-cases a field',
  category: 'transform',
  configSchema: {
    type: 'object',
    required: ['field'],
    properties: { field: { type: 'string', title: 'Field' }, save: { type: 'boolean', default: false } },
    additionalProperties: false,
  },
  outputs: ['out', 'error'],
  sample: { config: { field: 'name', save: false }, input: [{ name: 'ada' }, { other: 1 }] },
  async run(ctx, items) {
    const out: Item[] = [];
    const error: Item[] = [];
    for (const [i, item] of items.entries()) {
      const value = await ctx.expr.evaluate(`$uppercase($lookup($, $f))`, item, { f: ctx.config.field });
      if (value === undefined) error.push({ item, error: { code: 'missing', message: `no ${ctx.config.field}` } });
      else out.push({ ...item, [ctx.config.field]: value, at: ctx.now().toISOString(), key: ctx.idempotencyKey(i) });
    }
    if (ctx.config.save) {
      const res = await ctx.store.upsert(
        out.map((item, i) => ({
          identities: [{ type: 'name', value: String(item[ctx.config.field]) }],
          attributes: item,
          provenance: { source: 'test', flowId: ctx.flow.id, flowVersion: ctx.flow.version, runId: ctx.runId, nodeId: ctx.node.id },
          idempotencyKey: ctx.idempotencyKey(i),
        })),
      );
      res.forEach((r, i) => (out[i]!.customerId = r.customerId));
    }
    return { out, error };
  },
});

/** Calls ctx.http once per item. */
export const pingNode = defineNode<{ url: string }>({
  id: 'acme.ping',
  version: 1,
  title: 'Ping',
  description: 'Calls a URL',
  category: 'io',
  configSchema: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } },
  sample: { config: { url: 'https://example.com/ping' }, input: [{}] },
  async run(ctx, items) {
    const out: Item[] = [];
    for (const item of items) {
      const res = await ctx.http.request({ url: ctx.config.url });
      if (res.status >= 500) throw new NodeError('http_status', `status ${res.status}`);
      out.push({ ...item, status: res.status });
    }
    return { out };
  },
});

/** A signed webhook in the GitHub style. */
export const signedHook = defineNode<{ connection: string }>({
  id: 'acme.hook',
  version: 1,
  title: 'Signed hook',
  description: 'Receives signed events',
  category: 'trigger',
  configSchema: { type: 'object', required: ['connection'], properties: { connection: { type: 'string' } } },
  inputs: [],
  connection: { type: 'acme', required: true },
  sample: { config: { connection: 'conn_1' } },
  trigger: {
    kind: 'webhook',
    handshake(req) {
      return req.method === 'GET' && req.query.challenge ? { status: 200, body: req.query.challenge } : undefined;
    },
    methods: ['GET', 'POST'],
    verify(req, ctx) {
      const secret = ctx.secrets?.secret;
      if (!secret) return { ok: false, reason: 'connection has no secret' };
      const sig = header(req, 'x-hub-signature-256') ?? '';
      return safeEqual(sig, `sha256=${hmac('sha256', secret, req.rawBody)}`) ? { ok: true } : { ok: false, reason: 'bad signature' };
    },
    map(payload) {
      const p = payload as { id?: string };
      return [{ dedupeKey: p.id, items: [p as Item] }];
    },
  },
});
