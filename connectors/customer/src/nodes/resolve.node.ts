import { CustomerStoreError } from '@tributary/customer-store';
import { defineNode, NodeError, type Item } from '@tributary/node-sdk';
import { describeRejections } from '../fields/identity-extraction.util.js';
import { fieldListSchema, identityFieldsSchema } from './field-config.schema.js';
import { storeInputOf } from './upsert.node.js';
import { resolveNodeLocales } from './resolve.node.locale.js';

export interface ResolveConfig {
  /** Item fields per identity type; a type left out uses its defaults. */
  identityFields?: Record<string, string[]>;
  /** Item fields compared as profile fields (name, company, city, title, …); default as customer.upsert. */
  attributeFields?: string[];
  defaultCountry: string;
}

/** What each item carries after customer.resolve. */
export interface ItemResolution {
  kind: 'matched' | 'new' | 'review';
  /** The customer matched; for review, the best candidate. */
  customerId?: string;
  score: number;
  reasons: { rule: string; detail: string; field?: string; similarity?: number; weight?: number }[];
  /** For review: every candidate with its score. */
  candidates?: { id: string; score: number }[];
}

export const resolveNode = defineNode<ResolveConfig>({
  id: 'customer.resolve',
  version: 1,
  title: 'Match to customers',
  description:
    'Tells, without writing anything, which customer each item belongs to, by the same rules customer.upsert applies: identifiers in priority order (phone, WeChat unionid, WeCom / POS member ids, e-mail, device ids) within their limits, then name, company and city scores. Each item gets `resolution: { kind, customerId?, score, reasons }` and leaves on `matched` (an existing customer), `new` (nobody known), or `review` (a possible match a person should look at). Items with no usable identity go to `new` with the reason.',
  category: 'customer',
  locales: resolveNodeLocales,
  icon: 'git-compare',
  outputs: ['matched', 'new', 'review'],
  configSchema: {
    type: 'object',
    properties: {
      identityFields: identityFieldsSchema,
      attributeFields: {
        ...fieldListSchema('Profile fields'),
        description: 'Item fields compared as profile fields. Default: every top-level text or number field that is not an identity (name, company and city aliases such as 姓名, 公司, 城市 count as name, company, city).',
      },
      defaultCountry: { type: 'string', pattern: '^[A-Z]{2}$', default: 'CN', title: 'Default country', description: 'ISO 3166 code assumed for phone numbers written without a country code.' },
    },
    additionalProperties: false,
  },
  // Read-only: a retry is always safe.
  retry: { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 5000 },
  sample: {
    config: { defaultCountry: 'CN' },
    input: [
      { 姓名: '张三', 手机: '+86 139 1234 5670', email: 'zhangsan@qq.com', 公司: '杭州云帆科技有限公司', 城市: '杭州' },
      { name: 'Walk-in', phone: '13800000000' },
    ],
  },
  async run(ctx, items) {
    const { config } = ctx;
    const resolve = ctx.store.resolve?.bind(ctx.store);
    if (!resolve) throw new NodeError('resolve_unsupported', 'this customer store cannot resolve without writing', { retryable: false });
    // Each port keeps the items' input order.
    const routed: { kind: ItemResolution['kind']; item: Item }[] = new Array(items.length);
    const inputs: { identities: { type: string; value: string }[]; attributes: Record<string, unknown> }[] = [];
    const asked: { index: number; item: Item }[] = [];
    for (const [index, item] of items.entries()) {
      const stored = storeInputOf(item, config);
      if ('rejected' in stored) {
        const resolution: ItemResolution = { kind: 'new', score: 0, reasons: [{ rule: 'no_usable_identity', detail: `no usable identity: ${describeRejections(stored.rejected)}` }] };
        routed[index] = { kind: 'new', item: { ...item, resolution } };
        continue;
      }
      inputs.push(stored);
      asked.push({ index, item });
    }
    let decisions: Awaited<ReturnType<typeof resolve>> = [];
    try {
      if (inputs.length > 0) decisions = await resolve(inputs);
    } catch (err) {
      if (err instanceof CustomerStoreError && !err.retryable) throw new NodeError(err.code, err.message, { retryable: false, details: err.details });
      throw err;
    }
    asked.forEach(({ index, item }, n) => {
      const d = decisions[n]!;
      const resolution: ItemResolution = { kind: d.kind, score: d.score, reasons: d.reasons };
      if (d.targetId) resolution.customerId = d.targetId;
      if (d.kind === 'review' && d.candidates?.length) resolution.candidates = d.candidates.map((c) => ({ id: c.id, score: c.score }));
      routed[index] = { kind: d.kind, item: { ...item, resolution } };
    });
    const ports: Record<ItemResolution['kind'], Item[]> = { matched: [], new: [], review: [] };
    for (const r of routed) if (r) ports[r.kind].push(r.item);
    return ports;
  },
});
