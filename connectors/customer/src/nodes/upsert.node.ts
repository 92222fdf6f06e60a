import { CustomerStoreError, STORE_MATCH_CONFIG, profileEvidence, type StoreUpsertResult } from '@tributary/customer-store';
import { defineNode, errorItem, NodeError, type CustomerUpsertInput, type Item, type NodeContext } from '@tributary/node-sdk';
import { DEFAULT_FIELD_ALIASES, DEFAULT_OTHER_IDENTITY_FIELDS, readFields } from '../fields/customer-fields.util.js';
import { describeRejections, extractIdentities, storeIdentities, type RejectedValue } from '../fields/identity-extraction.util.js';
import { fieldListSchema, identityFieldsSchema } from './field-config.schema.js';
import { upsertNodeLocales } from './upsert.node.locale.js';

export interface UpsertConfig {
  /** Item fields per identity type; a type left out uses its defaults. */
  identityFields?: Record<string, string[]>;
  /** Item fields stored as attributes; default: every top-level scalar field that is not an identity. */
  attributeFields?: string[];
  /** Provenance written with every value; default: the trigger's type, else `flow`. */
  source?: string;
  event: { type: string; typeField?: string; occurredAtField?: string; includeItem: boolean };
  /** Tags added to every customer written. */
  tags?: string[];
  defaultCountry: string;
  /** Per-attribute survivorship: which value wins when sources disagree (default: latest). */
  survivorship?: Record<string, { policy: 'latest' | 'first' | 'source_priority' | 'manual' | 'longest'; sources?: string[] }>;
}

/** The survivorship config, shared with the editor form. */
export const survivorshipSchema = {
  type: 'object',
  title: 'Survivorship',
  description:
    'Per attribute (name, company, city, or any other field), which value wins when sources disagree: `latest` (default), `first`, `source_priority` (the first source listed in `sources` wins), `manual` (a value a person edited is never overwritten by flows), `longest` (the most complete value). Recorded with each value.',
  propertyNames: { minLength: 1, maxLength: 100 },
  additionalProperties: {
    type: 'object',
    properties: {
      policy: { type: 'string', enum: ['latest', 'first', 'source_priority', 'manual', 'longest'], title: 'Policy' },
      sources: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, title: 'Sources, best first' },
    },
    required: ['policy'],
    additionalProperties: false,
  },
} as const;

// Written by this node or customer.normalize, never stored as attributes.
const OWN_FIELDS = new Set(['identities', 'normalized', 'customerId', 'created', 'identityConflicts', 'ignoredIdentities', 'resolution', 'mergedCustomers']);
// Profile fields stored under one canonical name whatever the form called them.
const CANONICAL: [string, readonly string[]][] = [
  ['name', DEFAULT_FIELD_ALIASES.name],
  ['company', DEFAULT_FIELD_ALIASES.company],
  ['city', DEFAULT_FIELD_ALIASES.city],
];

export const upsertNode = defineNode<UpsertConfig>({
  id: 'customer.upsert',
  version: 1,
  title: 'Save to customer store',
  description:
    'Finds or creates the customer of each item by its identities (phone first, then WeChat unionid, WeCom / POS member ids, e-mail, device ids; with none known, by name, company and city above the automatic-match score, where a masked (138****5678) or mistyped phone or e-mail beside the same name counts too; an item whose identifiers belong to two customers whose names agree merges them (undoable, by system:resolution); an item without a usable identity is recognised by a real name with a city or company (a masked phone counting too): the customer it matches, or a customer of its own without identifiers; uncertain matches go to the review queue; any spelling of a phone, and any form of an e-mail (gmail dots and +tags, 163.con), finds the same person; a nickname never replaces a real name; junk values such as 13800000000 or test@test.com never identify anyone), stores the other fields as attributes that remember their source, and writes a timeline event. A retried step writes nothing twice. Emits each item with `customerId`, `created` and `resolution` (kind, score, reasons), and `mergedCustomers` when it merged some, on `out`; items that identify nobody go to `error` with the reason.',
  category: 'customer',
  locales: upsertNodeLocales,
  icon: 'user-plus',
  outputs: ['out', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      identityFields: identityFieldsSchema,
      attributeFields: {
        ...fieldListSchema('Attribute fields'),
        description: 'Item fields stored as customer attributes. Default: every top-level text, number or boolean field that is not an identity. Name, company and city aliases (姓名, 公司, 城市, …) are stored as name, company and city.',
      },
      source: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
        title: 'Source',
        description: 'Recorded with every value and identity, e.g. `webform`, `wecom`, `pos`. Default: the trigger type, else `flow`.',
      },
      event: {
        type: 'object',
        title: 'Timeline event',
        properties: {
          type: { type: 'string', minLength: 1, maxLength: 100, default: 'form_submitted', title: 'Event type' },
          typeField: {
            type: 'string',
            minLength: 1,
            title: 'Event type field',
            description: 'Item field holding the event type (e.g. `eventType` set by a connector: ticket_opened, ticket_solved); the event type above is used when the item has none.',
          },
          occurredAtField: { type: 'string', minLength: 1, title: 'Time field', description: 'Item field with the time of the event (ISO 8601 or epoch ms); default: now.' },
          includeItem: { type: 'boolean', default: true, title: 'Keep the item', description: 'Store the submitted item as the event payload (erased with the customer).' },
        },
        additionalProperties: false,
        default: {},
      },
      tags: { type: 'array', title: 'Tags', items: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Added to every customer written.' },
      defaultCountry: { type: 'string', pattern: '^[A-Z]{2}$', default: 'CN', title: 'Default country', description: 'ISO 3166 code assumed for phone numbers written without a country code.' },
      survivorship: survivorshipSchema,
    },
    additionalProperties: false,
  },
  // Transient store failures are retried; the idempotency keys make the retry safe.
  retry: { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 5000 },
  sample: {
    config: { source: 'webform', event: { type: 'form_submitted', occurredAtField: 'submittedAt', includeItem: true }, defaultCountry: 'CN' },
    input: [
      { 姓名: '张三', 手机: '+86 139 1234 5670', email: 'zhangsan@qq.com', 公司: '杭州云帆科技有限公司', budget: 50000, submittedAt: '2026-03-01T08:00:00Z' },
      { name: 'Walk-in', phone: '13800000000' },
    ],
  },
  async run(ctx, items) {
    const { config } = ctx;
    const source = config.source ?? triggerSource(ctx) ?? 'flow';
    const error: Item[] = [];
    const inputs: CustomerUpsertInput[] = [];
    const written: { index: number; item: Item }[] = [];
    for (const [index, item] of items.entries()) {
      const stored = storeInputOf(item, config);
      if ('rejected' in stored) {
        error.push(errorItem(item, 'no_usable_identity', `no usable identity: ${describeRejections(stored.rejected)}`, { rejected: stored.rejected }));
        continue;
      }
      const occurredAt = config.event.occurredAtField ? timeOf(readFields(item, [config.event.occurredAtField])[0]?.value) : undefined;
      if (config.event.occurredAtField && occurredAt === null) {
        error.push(errorItem(item, 'invalid_time', `field ${config.event.occurredAtField} is not a time: ${JSON.stringify(readFields(item, [config.event.occurredAtField])[0]?.value)}`));
        continue;
      }
      const input: CustomerUpsertInput & { tags?: string[]; survivorship?: UpsertConfig['survivorship'] } = {
        identities: stored.identities,
        attributes: stored.attributes,
        event: {
          type: eventTypeOf(item, config.event),
          ...(occurredAt ? { occurredAt } : {}),
          ...(config.event.includeItem ? { payload: payloadOf(item) } : {}),
        },
        provenance: { source, flowId: ctx.flow.id, flowVersion: ctx.flow.version, runId: ctx.runId, nodeId: ctx.node.id },
        idempotencyKey: ctx.idempotencyKey(index),
      };
      if (config.tags?.length) input.tags = config.tags;
      if (config.survivorship && Object.keys(config.survivorship).length > 0) input.survivorship = config.survivorship;
      inputs.push(input);
      written.push({ index, item });
    }
    if (inputs.length === 0) return { out: [], error };

    let results;
    try {
      results = await ctx.store.upsert(inputs);
    } catch (err) {
      // Bad data will not get better on a retry; anything else (connection, timeout) may.
      if (err instanceof CustomerStoreError && !err.retryable) throw new NodeError(err.code, err.message, { retryable: false, details: err.details });
      throw err;
    }
    const out = written.map(({ item }, n) => {
      const r = results[n] as StoreUpsertResult;
      const emitted: Item = { ...item, customerId: r.customerId, created: r.created };
      if (r.conflicts?.length) emitted.identityConflicts = r.conflicts;
      if (r.ignoredIdentities?.length) emitted.ignoredIdentities = r.ignoredIdentities;
      if (r.merged?.length) emitted.mergedCustomers = r.merged;
      if (r.resolution) emitted.resolution = { kind: r.resolution.kind, score: r.resolution.score, reasons: r.resolution.reasons };
      return emitted;
    });
    return { out, error };
  },
});

/**
 * What customer.upsert and customer.resolve hand the store for an item: its identities (the
 * usable ones and the phones only the fuzzy comparator reads) and attributes; or, when it
 * identifies nobody (no usable identity, and no real name with a city or
 * company, as the store's rules read them: profileEvidence), the values it rejected.
 */
export function storeInputOf(
  item: Item,
  config: Parameters<typeof attributesOf>[1] & { defaultCountry: string },
): { identities: { type: string; value: string }[]; attributes: Record<string, unknown> } | { rejected: RejectedValue[] } {
  const extracted = extractIdentities(item, config.identityFields, config.defaultCountry);
  const identities = storeIdentities(extracted);
  const attributes = attributesOf(item, config);
  if (extracted.identities.length === 0 && !profileEvidence(attributes, identities, STORE_MATCH_CONFIG)) return { rejected: extracted.rejected };
  return { identities, attributes };
}

/** The attributes the store would receive for an item (customer.resolve reads the same). */
export function attributesOf(item: Item, config: Pick<UpsertConfig, 'identityFields' | 'attributeFields'> & { event?: { occurredAtField?: string; typeField?: string } }): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const identityFieldNames = new Set<string>();
  for (const names of [DEFAULT_FIELD_ALIASES.phone, DEFAULT_FIELD_ALIASES.email, ...Object.values(DEFAULT_OTHER_IDENTITY_FIELDS), ...Object.values(config.identityFields ?? {})]) {
    for (const f of readFields(item, [...names])) identityFieldNames.add(f.field);
  }
  const canonical = (field: string) => CANONICAL.find(([, aliases]) => readFields({ [field]: 1 }, [...aliases]).length > 0)?.[0] ?? field;
  const normalized = (item.normalized ?? {}) as Record<string, unknown>;
  if (config.attributeFields) {
    for (const f of config.attributeFields) {
      const found = readFields(item, [f])[0];
      if (found) attributes[canonical(found.field)] = found.value;
    }
  } else {
    for (const [field, value] of Object.entries(item)) {
      if (OWN_FIELDS.has(field) || field.startsWith('_') || identityFieldNames.has(field) || field === config.event?.occurredAtField || field === config.event?.typeField) continue;
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) attributes[canonical(field)] = value;
    }
  }
  // customer.normalize upstream already cleaned these: prefer its values.
  for (const k of ['name', 'company', 'city'] as const) {
    if (typeof normalized[k] === 'string' && (config.attributeFields === undefined || k in attributes)) attributes[k] = normalized[k];
  }
  return attributes;
}

function payloadOf(item: Item): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!OWN_FIELDS.has(k)) payload[k] = v;
  return payload;
}

/** ISO text or epoch milliseconds/seconds → ISO; undefined when absent, null when unreadable. */
function timeOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d{10,13}$/.test(value.trim())) ms = Number(value) < 1e12 ? Number(value) * 1000 : Number(value);
  else if (typeof value === 'string') ms = Date.parse(value);
  else return null;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The trigger type when the host tells it (a forward-compatible read of ctx.trigger). */
function triggerSource(ctx: NodeContext<UpsertConfig>): string | undefined {
  return ctx.trigger?.type || undefined;
}

/** The item's own event type when the config names a field for it and it holds a short text; else the configured type. */
function eventTypeOf(item: Item, event: UpsertConfig['event']): string {
  if (!event.typeField) return event.type;
  const v = readFields(item, [event.typeField])[0]?.value;
  return typeof v === 'string' && v.trim() && v.length <= 100 ? v.trim() : event.type;
}
