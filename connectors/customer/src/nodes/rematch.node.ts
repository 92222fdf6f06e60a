import type { RematchProgress, RematchSummary } from '@tributary/customer-store';
import { defineNode, errorItem, type Item } from '@tributary/node-sdk';
import { rematchNodeLocales } from './rematch.node.locale.js';

export interface RematchConfig {
  scope: 'all' | 'changed';
  merge: 'confident' | 'none';
  dryRun: boolean;
  /** Merges emitted on `merged` at most; the summary counts all. */
  maxListed: number;
}

export const rematchNode = defineNode<RematchConfig>({
  id: 'customer.rematch',
  version: 1,
  title: 'Rematch customers',
  description:
    "For a scheduled flow (core.schedule → customer.rematch): identity resolution over the customer store. A delivery is resolved when it arrives, against the candidates its blocking keys find then; a customer whose profile is completed later (the company from the next order) or who arrived first is never compared again. Scope `all` compares every live customer with every other with the rules of `tributary match`, cluster-level passes included; it holds the whole store in memory (about 2 KB per customer), and a store larger than the worker can spare (60 % of its free heap; `--max-old-space-size` raises it) is resolved a page at a time instead, as `changed` does, the summary's `paged` saying why. Scope `changed` resolves only the customers changed since this node's last completed run, each the way a delivery of its identities and profile is resolved, against every other customer, a page at a time; its first run compares them all as `all` does. Merge `confident`: a link made by a fuzzy score at or above the merge threshold merges the two customers (undoable, audited as `system:rematch`); every other link (an identifier two customers hold, a rare name, cluster-level evidence, a score between the thresholds) queues a review with the rules' reasons. Merge `none`: every link queues a review. Pairs a person separated are left alone, a pair already pending is not queued twice, and a second run repeats nothing the first did (merged customers are one record then), so a retry after a crash is safe. A run that resolves a page at a time applies each page of 500 customers as it goes and writes down where it is: when its worker dies, the retry goes on from the last page (the summary's `resumed` says from where) instead of starting over, and logs its counts after each page; a run of this node started while another is under way does nothing and says `alreadyRunning`. Emits one summary item on `out` and one item per merge on `merged`; `error` only when the store cannot rematch.",
  category: 'customer',
  locales: rematchNodeLocales,
  icon: 'git-merge',
  outputs: ['out', 'merged', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      scope: {
        type: 'string',
        enum: ['all', 'changed'],
        default: 'all',
        title: 'Scope',
        description: '`all`: every live customer with every other (batch rules, the whole store in memory; a page at a time when it does not fit). `changed`: the customers changed since this node last ran, each resolved as a delivery; the first run compares all.',
      },
      merge: { type: 'string', enum: ['confident', 'none'], default: 'confident', title: 'Merge', description: '`confident`: merge the links made by a fuzzy score at the merge threshold and queue the rest for review. `none`: queue every link for review.' },
      dryRun: { type: 'boolean', default: false, title: 'Dry run', description: 'Count the links, change nothing.' },
      maxListed: { type: 'integer', minimum: 0, maximum: 100000, default: 1000, title: 'Merged items at most', description: 'Items emitted on `merged` at most; the summary counts all.' },
    },
    additionalProperties: false,
  },
  // A second run repeats nothing the first did: merged customers are one record, pending pairs are not queued twice.
  retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 30000 },
  sample: {
    config: { scope: 'changed', merge: 'confident', dryRun: true, maxListed: 100 },
    input: [{ firedAt: '2026-03-01T02:00:00Z' }],
  },
  async run(ctx, items) {
    const store = ctx.store;
    if (typeof store?.rematch !== 'function') {
      return { out: [], merged: [], error: [errorItem(items[0] ?? {}, 'store_unsupported', 'this customer store cannot rematch (customer.rematch needs the built-in customer store)')] };
    }
    const { config } = ctx;
    const summary = (await store.rematch({
      scope: config.scope,
      // The watermark of scope `changed` is this node's: another flow rematching keeps its own.
      key: `${ctx.flow.id}/${ctx.node.id}`,
      merge: config.merge,
      dryRun: config.dryRun,
      maxListed: config.maxListed,
      actor: `system:rematch:${ctx.flow.id}/${ctx.node.id}`,
      signal: ctx.signal,
      // A paged run can take most of an hour at a million customers: say how far it is.
      onPage: (p: RematchProgress) => ctx.log.info('rematch page applied', { ...p }),
    })) as RematchSummary;
    const { merges, ...counts } = summary;
    const out: Item[] = [{ ...counts, mergedTruncated: summary.merged > merges.length } as unknown as Item];
    return { out, merged: merges.map((m) => ({ ...m }) as unknown as Item), error: [] };
  },
});
