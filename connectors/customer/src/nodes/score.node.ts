import { createHash } from 'node:crypto';
import {
  DEFAULT_STAGE_ORDER,
  RESERVED_RULE_IDS,
  type InactivityRule,
  type ResolvedRfmBreakpoints,
  type RfmConfig,
  type RfmOutcome,
  type RulesModelConfig,
  type ScoreOutcome,
  type ScoreRule,
  type ScoringStore,
  type Threshold,
} from '@tributary/customer-store';
import { defineNode, errorItem, expressionBindings, type ConfigIssue, type CustomerStorePort, type Item, type JsonSchema, type NodeContext } from '@tributary/node-sdk';
import { scoreNodeLocales } from './score.node.locale.js';

export interface ScoreConfig extends RulesModelConfig {
  model: 'rules' | 'rfm';
  /** Item field with the customer id (customer.upsert sets `customerId`). */
  customerIdField: string;
  /** Item field with the event type rules match on (connectors set `eventType`). */
  eventTypeField: string;
  /** The event type when the item has none. */
  eventType?: string;
  /** Provenance of the events and attributes written. */
  source: string;
  rfm: RfmConfig & { quintileCacheMinutes: number };
}

const ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$' } as const;
const TYPES = (title: string, description: string) => ({ type: 'array', title, description, items: { type: 'string', minLength: 1, maxLength: 100 }, uniqueItems: true }) as const;
const SCALAR = { type: ['string', 'number', 'boolean'] } as const;

const attributeConditionSchema = {
  type: 'object',
  title: 'Attribute test',
  required: ['field'],
  properties: {
    field: { type: 'string', minLength: 1, maxLength: 200, title: 'Field', description: 'Item field or customer attribute, e.g. `title`; a dotted path reads into objects.' },
    of: { type: 'string', enum: ['any', 'item', 'customer'], default: 'any', title: 'Read from', description: '`item`, the customer’s attributes (`customer`; also score, stage, priority, tags, firstChannel, ownerId), or the item and else the customer (`any`).' },
    equals: { ...SCALAR, title: 'Equals', description: 'Compared as text, ignoring case and full-width forms; a number compares as a number.' },
    notEquals: { ...SCALAR, title: 'Does not equal' },
    oneOf: { type: 'array', items: SCALAR, minItems: 1, title: 'One of' },
    contains: { type: 'string', minLength: 1, title: 'Contains', description: 'Text containing this (e.g. 总监), or a list holding it.' },
    exists: { type: 'boolean', title: 'Exists', description: 'true: present and not empty; false: absent or empty.' },
    gte: { type: 'number', title: 'At least' },
    lte: { type: 'number', title: 'At most' },
  },
  additionalProperties: false,
} as const;

const conditionSchema = {
  type: 'object',
  title: 'When',
  description: 'Every part given must hold.',
  properties: {
    eventTypes: TYPES('Event types', 'The item’s event type is one of these, e.g. `trial_form_submitted`.'),
    attributes: { type: 'array', title: 'Attributes', items: attributeConditionSchema },
    tags: TYPES('Has tags', 'The customer has all of these tags.'),
    notTags: TYPES('Lacks tags', 'The customer has none of these tags.'),
    stages: TYPES('Stages', 'The customer’s stage is one of these.'),
    expression: {
      type: 'string',
      format: 'jsonata',
      minLength: 1,
      title: 'Expression (JSONata)',
      description: 'For everything else: JSONata over `{item, customer, event}` (customer: id, score, stage, priority, tags, attributes, firstChannel, createdAt, lastInteractionAt; event: type); truthy holds. Example: `$number(item.budget) >= 100000`.',
      'x-widget': 'code',
      'x-language': 'jsonata',
      // Evaluated over the stored customer, which the editor does not have.
      'x-scope': 'none',
    },
  },
  additionalProperties: false,
} as const;

const ruleSchema = {
  type: 'object',
  title: 'Rule',
  required: ['id', 'when', 'points'],
  properties: {
    id: { ...ID, title: 'Id', description: 'Names the rule in the explanation and in its per-customer count (flows using the same id share it).' },
    title: { type: 'string', maxLength: 200, title: 'Title' },
    when: conditionSchema,
    points: { type: 'integer', minimum: -10000, maximum: 10000, title: 'Points', description: 'Added each time the rule applies; negative subtracts.' },
    oncePerCustomer: { type: 'boolean', title: 'Once per customer' },
    maxTimes: { type: 'integer', minimum: 1, title: 'At most this many times per customer' },
  },
  additionalProperties: false,
} as const;

const inactivitySchema = {
  type: 'object',
  title: 'Inactivity rule',
  description: 'Points when a customer has had no event of the activity types for N days.',
  required: ['id', 'activity', 'days', 'points'],
  properties: {
    id: { ...ID, title: 'Id' },
    title: { type: 'string', maxLength: 200, title: 'Title' },
    activity: { ...TYPES('Activity', 'Event types that count as activity (e.g. a reply: `message_received`, `call_answered`).'), minItems: 1 },
    since: TYPES('Since', 'With these, the clock starts at the latest such event (e.g. `sales_contacted`) and stops at an activity after it: “no reply to sales”. Without, it counts from the latest activity (else from when the customer was created).'),
    days: { type: 'number', exclusiveMinimum: 0, maximum: 3650, title: 'Days' },
    points: { type: 'integer', minimum: -10000, maximum: 10000, title: 'Points' },
    repeatEveryDays: { type: 'number', exclusiveMinimum: 0, maximum: 3650, title: 'Repeat every (days)', description: 'Apply again every this many further days of the same silence. Default: once per silence.' },
    maxTimes: { type: 'integer', minimum: 1, title: 'At most this many times per silence' },
  },
  additionalProperties: false,
} as const;

const thresholdSchema = {
  type: 'object',
  title: 'Threshold',
  required: ['id'],
  properties: {
    id: { ...ID, title: 'Id' },
    title: { type: 'string', maxLength: 200, title: 'Title' },
    min: { type: 'integer', title: 'Score at least' },
    max: { type: 'integer', title: 'Score below' },
    stages: TYPES('Only in stages', 'Only for customers in one of these stages (before this scoring).'),
    priority: { type: 'string', minLength: 1, maxLength: 50, title: 'Priority', description: 'While in range, e.g. `hot`. The first threshold in range that names one wins; with none in range the priority is cleared.' },
    stage: { type: 'string', minLength: 1, maxLength: 50, title: 'Stage', description: 'Moves the customer here while in range: only forward along the stage order unless backward moves are allowed.' },
    allowBackward: { type: 'boolean', default: false, title: 'May move backwards', description: 'e.g. customer → churn_risk is forward, churn_risk → customer is not.' },
    tags: { ...TYPES('Tags', 'Held while in range, removed when the score leaves it.') },
    emit: { type: 'string', enum: ['enter', 'leave', 'both', 'none'], default: 'enter', title: 'Emit on `crossed`', description: 'Which crossings send the item to the `crossed` port.' },
  },
  additionalProperties: false,
} as const;

/** The rules model's config, shared with customer.rescore. */
export const rulesModelProperties = {
  rules: { type: 'array', title: 'Rules', description: 'Applied in order to each item: points when the condition holds.', items: ruleSchema, default: [] },
  inactivity: { type: 'array', title: 'Inactivity rules', description: 'Checked for each customer scored and by customer.rescore.', items: inactivitySchema, default: [] },
  decay: {
    type: 'object',
    title: 'Decay',
    required: ['halfLifeDays'],
    properties: {
      halfLifeDays: { type: 'number', exclusiveMinimum: 0, maximum: 36500, title: 'Half-life (days)', description: 'The score halves every this many days since it last changed.' },
      minPoints: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 1,
        title: 'Smallest step',
        description: 'Decay on its own waits until it is worth this many points (fewer timeline events from a daily rescore, e.g. 5); with other points it always applies.',
      },
    },
    additionalProperties: false,
  },
  floor: { type: 'integer', title: 'Floor', description: 'Lowest score.' },
  cap: { type: 'integer', title: 'Cap', description: 'Highest score.' },
  thresholds: { type: 'array', title: 'Thresholds', description: 'Map the new score to priority, stage and tags, highest first.', items: thresholdSchema, default: [] },
  stageOrder: {
    type: 'array',
    title: 'Stage order',
    items: { type: 'string', minLength: 1, maxLength: 50 },
    uniqueItems: true,
    minItems: 1,
    default: [...DEFAULT_STAGE_ORDER],
    description: 'Lifecycle stages in order; thresholds move customers forward along it.',
  },
} as const;

const ascending = (title: string, items: JsonSchema) => ({ type: 'array', title, items, minItems: 4, maxItems: 4 });

/** The RFM model's config, shared with customer.rescore. */
export const rfmSchema = {
  type: 'object',
  title: 'RFM',
  default: {},
  properties: {
    eventTypes: { ...TYPES('Purchase event types', 'Default `pos_purchase`, `order_placed`, `order_paid`.'), minItems: 1 },
    cancelTypes: TYPES('Cancel event types', 'An order with one of these (same order id) does not count (a refund voids the whole order). Default `order_cancelled`, `pos_order_cancelled`, `order_refunded`.'),
    amountPaths: { type: 'array', title: 'Amount paths', items: { type: 'string', minLength: 1, maxLength: 200 }, minItems: 1, description: 'Payload paths tried in order for the amount, a decimal string or number (default `amount`; e.g. `raw.total_price`).' },
    orderIdPath: { type: 'string', minLength: 1, maxLength: 200, title: 'Order id path', description: 'Payload path of the order id: an order placed and paid counts once (default `order_id`).' },
    lookbackDays: { type: 'integer', minimum: 1, maximum: 36500, title: 'Look back (days)', description: 'Frequency and monetary count the orders of the last N days; recency looks at all.' },
    method: { type: 'string', enum: ['fixed', 'quintiles'], default: 'fixed', title: 'Breakpoints', description: '`fixed` below, or `quintiles` of the live customers with orders (measured in SQL, cached for quintileCacheMinutes).' },
    breakpoints: {
      type: 'object',
      title: 'Fixed breakpoints',
      required: ['recencyDays', 'frequency', 'monetary'],
      properties: {
        recencyDays: { ...ascending('Recency (days)', { type: 'number', minimum: 0 }), description: 'Last purchase at most these many days ago for R = 5, 4, 3, 2 (else 1), e.g. [30, 60, 120, 240].' },
        frequency: { ...ascending('Frequency (orders)', { type: 'number', minimum: 0 }), description: 'At least these many orders for F = 2, 3, 4, 5, e.g. [2, 3, 4, 5].' },
        monetary: { ...ascending('Monetary', { type: ['string', 'number'], pattern: '^[0-9]{1,15}(\\.[0-9]{1,6})?$', minimum: 0 }), description: 'At least this total for M = 2, 3, 4, 5, e.g. ["500", "1000", "2000", "5000"].' },
      },
      additionalProperties: false,
    },
    segments: {
      type: 'array',
      title: 'Segments',
      description: 'First match wins; unmatched customers are `other`. Default: champions, loyal, cant_lose, at_risk, new, potential_loyalist, about_to_sleep, lost, hibernating.',
      items: {
        type: 'object',
        required: ['label'],
        properties: {
          label: { type: 'string', minLength: 1, maxLength: 50, title: 'Label' },
          r: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 5 }, minItems: 2, maxItems: 2, title: 'R from–to' },
          f: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 5 }, minItems: 2, maxItems: 2, title: 'F from–to' },
          m: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 5 }, minItems: 2, maxItems: 2, title: 'M from–to' },
        },
        additionalProperties: false,
      },
    },
    attributePrefix: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,30}$', title: 'Attribute prefix', description: 'Default `rfm_`: rfm_r, rfm_f, rfm_m, rfm_segment, rfm_frequency, rfm_monetary, rfm_last_purchase_at.' },
    quintileCacheMinutes: { type: 'integer', minimum: 0, maximum: 10080, default: 60, title: 'Quintile cache (minutes)', description: 'How long measured quintiles are reused by customer.score (customer.rescore measures them every run).' },
  },
  additionalProperties: false,
} as const;

const modelSchema = { type: 'string', enum: ['rules', 'rfm'], default: 'rules', title: 'Model', description: '`rules`: points per rule, decay, inactivity, thresholds. `rfm`: recency, frequency and monetary value from purchases.' } as const;
const sourceSchema = { type: 'string', minLength: 1, maxLength: 100, default: 'score', title: 'Source', description: 'Recorded as the source of the score_changed events and RFM attributes.' } as const;

export const scoreNode = defineNode<ScoreConfig>({
  id: 'customer.score',
  version: 1,
  title: 'Score customers',
  description:
    'Scores the customer of each item (from customer.upsert: `customerId`). Model `rules`: rules add or subtract points on the item’s event type and on item and customer attributes (提交试用 +30, 下载白皮书 +10, title contains 总监 +5), once per customer or up to N times if asked; optional decay (half-life), inactivity rules (no reply to sales for 3 days −10), floor and cap; thresholds then set priority, lifecycle stage (forward only) and tags. Model `rfm`: recency, frequency and monetary value of the customer’s orders, computed in SQL, scored 1–5 and labelled with a segment, stored as rfm_* attributes. Every change writes a `score_changed` timeline event listing each rule and its points; a retried step adds nothing twice, and concurrent runs for one customer queue on its row lock. Emits items with `score`, `scoreDelta`, `priority`, `stage` (and `rfm`) on `out`, again on `crossed` with `crossed` when a threshold (or the RFM segment) was crossed; items without a known customer go to `error`.',
  category: 'customer',
  locales: scoreNodeLocales,
  icon: 'gauge',
  outputs: ['out', 'crossed', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      model: modelSchema,
      customerIdField: { type: 'string', minLength: 1, maxLength: 100, default: 'customerId', title: 'Customer id field' },
      eventTypeField: { type: 'string', minLength: 1, maxLength: 100, default: 'eventType', title: 'Event type field', description: 'Item field with the event type rules match on.' },
      eventType: { type: 'string', minLength: 1, maxLength: 100, title: 'Event type', description: 'The event type of items without one, e.g. `trial_form_submitted` for a trial form flow.' },
      source: sourceSchema,
      ...rulesModelProperties,
      rfm: rfmSchema,
    },
    additionalProperties: false,
  },
  retry: { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 5000 },
  checkConfig: checkScoringConfig,
  sample: {
    config: {
      model: 'rules',
      rules: [
        { id: 'trial_form', title: '提交试用', when: { eventTypes: ['trial_form_submitted'] }, points: 30, oncePerCustomer: true },
        { id: 'whitepaper', title: '下载白皮书', when: { eventTypes: ['whitepaper_downloaded'] }, points: 10, maxTimes: 3 },
        { id: 'quote_opened', title: '打开报价邮件', when: { eventTypes: ['quote_email_opened'] }, points: 10 },
        { id: 'director', title: '总监级', when: { attributes: [{ field: 'title', contains: '总监' }] }, points: 5, oncePerCustomer: true },
      ],
      inactivity: [{ id: 'no_reply_3d', title: '3 天未回复销售', activity: ['message_received', 'call_answered'], since: ['sales_contacted'], days: 3, points: -10 }],
      decay: { halfLifeDays: 30 },
      floor: 0,
      cap: 100,
      thresholds: [
        { id: 'hot', min: 80, priority: 'hot', stage: 'sql', tags: ['hot'] },
        { id: 'warm', min: 40, priority: 'warm', stage: 'mql' },
        { id: 'cold', priority: 'cold' },
      ],
    } as unknown as ScoreConfig,
    input: [
      { customerId: '0190a6b2-7c4e-7d2a-9f3b-2c1d4e5f6a7b', eventType: 'trial_form_submitted', title: '市场总监' },
      { name: 'no customer yet' },
    ],
  },
  async run(ctx, items) {
    return ctx.config.model === 'rfm' ? runRfmModel(ctx, items) : runRulesModel(ctx, items);
  },
});

type ScoringPort = Omit<CustomerStorePort, keyof ScoringStore> & Partial<ScoringStore>;

interface Pending {
  index: number;
  item: Item;
  customerId: string;
}

/** Items with a customer id, and errors for those without. */
function collect(ctx: NodeContext<ScoreConfig>, items: Item[], supported: boolean): { pending: Pending[]; error: Item[] } {
  const pending: Pending[] = [];
  const error: Item[] = [];
  for (const [index, item] of items.entries()) {
    const id = item[ctx.config.customerIdField];
    if (typeof id !== 'string' || id.trim() === '') {
      error.push(errorItem(item, 'no_customer', `the item has no ${ctx.config.customerIdField}: put customer.upsert before customer.score`));
    } else if (!supported) {
      error.push(errorItem(item, 'store_unsupported', 'this customer store cannot score (customer.score needs the built-in customer store)'));
    } else {
      pending.push({ index, item, customerId: id.trim() });
    }
  }
  return { pending, error };
}

// Items per store call: one transaction holds the row locks of at most this many customers.
const CHUNK = 500;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

function provenanceOf(ctx: NodeContext<ScoreConfig>) {
  return { source: ctx.config.source, flowId: ctx.flow.id, flowVersion: ctx.flow.version, runId: ctx.runId, nodeId: ctx.node.id };
}

async function runRulesModel(ctx: NodeContext<ScoreConfig>, items: Item[]) {
  const store = ctx.store as ScoringPort;
  const { config } = ctx;
  const { pending, error } = collect(ctx, items, typeof store.score === 'function');
  const out: Item[] = [];
  const crossed: Item[] = [];
  if (pending.length === 0) return { out, crossed, error };
  const outcomes: ScoreOutcome[] = [];
  for (const chunk of chunks(pending)) {
    outcomes.push(
      ...(await store.score!({
        config: rulesConfigOf(config),
        items: chunk.map((p) => ({ customerId: p.customerId, idempotencyKey: ctx.idempotencyKey(p.index), item: p.item, eventType: eventTypeOf(p.item, config) })),
        provenance: provenanceOf(ctx),
        evaluate: (expression, input) => ctx.expr.evaluate(expression, input, expressionBindings(ctx)),
      })),
    );
  }
  pending.forEach((p, n) => {
    const o = outcomes[n]!;
    if (o.status === 'not_found') {
      error.push(errorItem(p.item, 'customer_not_found', `no live customer ${p.customerId} (erased, or not in this store)`));
      return;
    }
    if (o.status === 'failed') {
      error.push(errorItem(p.item, o.error?.code ?? 'condition_failed', `a scoring rule could not be evaluated: ${o.error?.message ?? 'unknown error'}`));
      return;
    }
    const emitted: Item = { ...p.item, [config.customerIdField]: o.customerId, score: o.score, scoreDelta: o.scoreDelta, priority: o.priority, stage: o.stage, scoreRules: o.rules };
    out.push(emitted);
    if (o.crossed.length) crossed.push({ ...emitted, crossed: o.crossed });
  });
  return { out, crossed, error };
}

async function runRfmModel(ctx: NodeContext<ScoreConfig>, items: Item[]) {
  const store = ctx.store as ScoringPort;
  const { config } = ctx;
  const { pending, error } = collect(ctx, items, typeof store.scoreRfm === 'function');
  const out: Item[] = [];
  const crossed: Item[] = [];
  if (pending.length === 0) return { out, crossed, error };
  const { quintileCacheMinutes, ...rfm } = config.rfm;
  const breakpoints = rfm.method === 'quintiles' ? await cachedQuintiles(ctx, store, rfm, quintileCacheMinutes) : undefined;
  const outcomes: RfmOutcome[] = [];
  for (const chunk of chunks(pending)) {
    outcomes.push(
      ...(await store.scoreRfm!({
        config: rfm,
        items: chunk.map((p) => ({ customerId: p.customerId, idempotencyKey: ctx.idempotencyKey(p.index) })),
        provenance: provenanceOf(ctx),
        ...(breakpoints ? { breakpoints } : {}),
      })),
    );
  }
  pending.forEach((p, n) => {
    const o = outcomes[n]!;
    if (o.status === 'not_found') {
      error.push(errorItem(p.item, 'customer_not_found', `no live customer ${p.customerId} (erased, or not in this store)`));
      return;
    }
    const emitted: Item = { ...p.item, [config.customerIdField]: o.customerId, score: o.score, scoreDelta: 0, priority: o.priority, stage: o.stage, rfm: o.rfm as unknown as Item | null };
    out.push(emitted);
    if (o.crossed.length) crossed.push({ ...emitted, crossed: o.crossed });
  });
  return { out, crossed, error };
}

/** Quintiles scan every order in the store: measured once per config and cached across workers. */
async function cachedQuintiles(ctx: NodeContext<ScoreConfig>, store: ScoringPort, rfm: RfmConfig, minutes: number): Promise<ResolvedRfmBreakpoints | undefined> {
  if (!store.rfmBreakpoints) return undefined;
  if (minutes <= 0) return store.rfmBreakpoints(rfm);
  const key = `customer.score:rfm-quintiles:${createHash('sha256').update(JSON.stringify(rfm)).digest('hex').slice(0, 32)}`;
  const hit = await ctx.cache.get(key);
  if (hit) {
    try {
      return JSON.parse(hit) as ResolvedRfmBreakpoints;
    } catch {
      // measured again below
    }
  }
  const bp = await store.rfmBreakpoints(rfm);
  await ctx.cache.set(key, JSON.stringify(bp), minutes * 60);
  return bp;
}

/** The rules model's part of a config. */
export function rulesConfigOf(config: RulesModelConfig): RulesModelConfig {
  const { rules, inactivity, decay, floor, cap, thresholds, stageOrder } = config;
  return { rules, inactivity, decay, floor, cap, thresholds, stageOrder };
}

function eventTypeOf(item: Item, config: ScoreConfig): string | undefined {
  const v = item[config.eventTypeField];
  return typeof v === 'string' && v.trim() ? v.trim() : config.eventType;
}

/** What JSON Schema cannot say about a scoring config. */
export function checkScoringConfig(config: Partial<RulesModelConfig> & { rfm?: RfmConfig }): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  const reserved = new Set<string>(RESERVED_RULE_IDS);
  const claim = (id: string, path: string) => {
    if (reserved.has(id) || id.startsWith('rfm_')) issues.push({ path, message: `"${id}" is reserved (decay, floor, cap, rfm_*)` });
    else if (seen.has(id)) issues.push({ path, message: `rule id "${id}" is used twice (also at ${seen.get(id)})` });
    else seen.set(id, path);
  };
  (config.rules ?? []).forEach((r: ScoreRule, i) => {
    claim(r.id, `/rules/${i}/id`);
    if (r.oncePerCustomer && r.maxTimes !== undefined && r.maxTimes !== 1) issues.push({ path: `/rules/${i}/maxTimes`, message: 'oncePerCustomer and maxTimes disagree' });
    (r.when.attributes ?? []).forEach((a, j) => {
      const ops = ['equals', 'notEquals', 'oneOf', 'contains', 'exists', 'gte', 'lte'].filter((k) => (a as unknown as Record<string, unknown>)[k] !== undefined);
      if (ops.length === 0) issues.push({ path: `/rules/${i}/when/attributes/${j}`, message: 'needs a test: equals, notEquals, oneOf, contains, exists, gte or lte' });
    });
  });
  (config.inactivity ?? []).forEach((r: InactivityRule, i) => {
    claim(r.id, `/inactivity/${i}/id`);
    if (r.maxTimes !== undefined && !r.repeatEveryDays && r.maxTimes > 1) issues.push({ path: `/inactivity/${i}/maxTimes`, message: 'maxTimes above 1 needs repeatEveryDays' });
  });
  if (config.floor !== undefined && config.cap !== undefined && config.floor > config.cap) issues.push({ path: '/floor', message: 'floor is above cap' });
  const order = config.stageOrder ?? [...DEFAULT_STAGE_ORDER];
  const thresholdIds = new Set<string>();
  (config.thresholds ?? []).forEach((t: Threshold, i) => {
    if (thresholdIds.has(t.id)) issues.push({ path: `/thresholds/${i}/id`, message: `threshold id "${t.id}" is used twice` });
    thresholdIds.add(t.id);
    if (t.min !== undefined && t.max !== undefined && t.min >= t.max) issues.push({ path: `/thresholds/${i}/max`, message: 'max must be above min' });
    if (t.stage !== undefined && !t.allowBackward && !order.some((o) => o.toLowerCase() === t.stage!.toLowerCase())) issues.push({ path: `/thresholds/${i}/stage`, message: `stage "${t.stage}" is not in the stage order (${order.join(', ')})` });
  });
  const b = config.rfm?.breakpoints;
  if (b) {
    for (const k of ['recencyDays', 'frequency', 'monetary'] as const) {
      const v = b[k].map(Number);
      if (v.some((x, i) => i > 0 && x < v[i - 1]!)) issues.push({ path: `/rfm/breakpoints/${k}`, message: 'breakpoints must be ascending' });
    }
  }
  (config.rfm?.segments ?? []).forEach((s, i) => {
    for (const k of ['r', 'f', 'm'] as const) if (s[k] && s[k]![0] > s[k]![1]) issues.push({ path: `/rfm/segments/${i}/${k}`, message: 'from must not be above to' });
  });
  return issues;
}
