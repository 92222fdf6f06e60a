import type { RescoreSummary, RfmConfig, RulesModelConfig, ScoringStore } from '@tributary/customer-store';
import { defineNode, errorItem, type CustomerStorePort, type Item } from '@tributary/node-sdk';
import { checkScoringConfig, rfmSchema, rulesConfigOf, rulesModelProperties } from './score.node.js';
import { rescoreNodeLocales } from './rescore.node.locale.js';

export interface RescoreConfig extends RulesModelConfig {
  model: 'rules' | 'rfm';
  source: string;
  rfm: RfmConfig & { quintileCacheMinutes?: number };
  /** Customers per transaction. */
  batchSize: number;
  /** Crossings emitted on `crossed` at most; the summary counts all. */
  maxCrossed: number;
}

export const rescoreNode = defineNode<RescoreConfig>({
  id: 'customer.rescore',
  version: 1,
  title: 'Rescore all customers',
  description:
    'For a scheduled flow (core.schedule → customer.rescore): applies the scoring model to every live customer in batches of set-based statements. Model `rules`: decay, inactivity rules (no reply for N days) and thresholds, with the same config as customer.score (item rules are left out: they need an event). Model `rfm`: recency, frequency, monetary and segment for every customer with orders, quintiles measured once per run. Each change writes a `score_changed` event; a customer is rescored at most once a day per flow and node, so a second run the same day, or a retry after a crash, changes nothing twice. Emits one summary item on `out` and, on `crossed`, one item per customer that crossed a threshold (or changed RFM segment); `error` only when the store cannot rescore.',
  category: 'customer',
  locales: rescoreNodeLocales,
  icon: 'refresh-cw',
  outputs: ['out', 'crossed', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      model: { type: 'string', enum: ['rules', 'rfm'], default: 'rules', title: 'Model' },
      source: { type: 'string', minLength: 1, maxLength: 100, default: 'rescore', title: 'Source', description: 'Recorded as the source of the events and attributes written.' },
      ...rulesModelProperties,
      rfm: rfmSchema,
      batchSize: { type: 'integer', minimum: 10, maximum: 10000, default: 1000, title: 'Batch size', description: 'Customers per transaction (each batch holds their row locks briefly).' },
      maxCrossed: { type: 'integer', minimum: 0, maximum: 100000, default: 10000, title: 'Crossed items at most', description: 'Items emitted on `crossed` at most; the summary counts all.' },
    },
    additionalProperties: false,
  },
  // Per-day idempotency keys make a retry continue where the failed attempt stopped.
  retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 30000 },
  checkConfig: checkScoringConfig,
  sample: {
    config: {
      model: 'rules',
      inactivity: [{ id: 'no_reply_3d', activity: ['message_received'], since: ['sales_contacted'], days: 3, points: -10 }],
      decay: { halfLifeDays: 30 },
      floor: 0,
      thresholds: [
        { id: 'hot', min: 80, priority: 'hot' },
        { id: 'cold', max: 20, priority: 'cold', emit: 'enter' },
      ],
    } as unknown as RescoreConfig,
    input: [{ firedAt: '2026-03-01T02:00:00Z' }],
  },
  async run(ctx, items) {
    const store = ctx.store as Omit<CustomerStorePort, keyof ScoringStore> & Partial<ScoringStore>;
    if (typeof store.rescore !== 'function') {
      return { out: [], crossed: [], error: [errorItem(items[0] ?? {}, 'store_unsupported', 'this customer store cannot rescore (customer.rescore needs the built-in customer store)')] };
    }
    const { config } = ctx;
    const { quintileCacheMinutes: _unused, ...rfm } = config.rfm ?? {};
    const summary: RescoreSummary = await store.rescore({
      model: config.model,
      rules: rulesConfigOf(config),
      rfm,
      scope: `rescore:${ctx.flow.id}:${ctx.node.id}`,
      provenance: { source: config.source, flowId: ctx.flow.id, flowVersion: ctx.flow.version, runId: ctx.runId, nodeId: ctx.node.id },
      batchSize: config.batchSize,
      maxCrossings: config.maxCrossed,
      signal: ctx.signal,
    });
    const { crossed, ...rest } = summary;
    const out: Item[] = [{ ...rest, crossedTruncated: summary.crossedCount > crossed.length } as unknown as Item];
    return { out, crossed: crossed.map((c) => ({ ...c }) as unknown as Item), error: [] };
  },
});
