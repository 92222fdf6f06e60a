import type { DataSource, QueryRunner } from 'typeorm';
import { NIL_UUID } from '../util/keyset.util.js';
import { inTransaction } from '../util/transaction.util.js';
import { evaluateRules } from './rules-model.evaluator.js';
import { writeScoreChanges, type ScoreChange } from './score-write.util.js';
import { countedRuleIds, LOCKED_COLUMNS, loadScoringFacts, scoringCustomer, type LockedCustomerRow } from './scoring-rows.util.js';
import type { RescoreRequest, RescoreSummary, RulesModelConfig } from './scoring.types.js';

export const DEFAULT_RESCORE_BATCH = 1000;
export const DEFAULT_MAX_CROSSINGS = 10_000;

/** The idempotency key of one customer's rescore on one UTC day. */
export function rescoreKey(scope: string, customerId: string, day: string): string {
  return `${scope}:${customerId}:${day}`;
}

/** One crossing as a rescore summary lists it. */
export type SummaryCrossing = RescoreSummary['crossed'][number];

/** What one batch of a rescore did: the last id read, how many were read and left alone, what changed. */
export interface RescoreBatch {
  last: string;
  count: number;
  skipped: number;
  changed: number;
  /** The changed customers that crossed a threshold or a stage. */
  crossings: SummaryCrossing[];
}

/**
 * The keyset loop both models share: one transaction per batch of `batchSize` live customers
 * in ascending id order (`runBatch` locks, computes and writes them), until a batch comes back
 * short or empty; the counts and the first `maxCrossings` crossings go into the summary.
 */
export async function rescoreInBatches(
  ds: DataSource,
  request: RescoreRequest,
  attempts: number,
  summary: RescoreSummary,
  runBatch: (q: QueryRunner, after: string, batchSize: number) => Promise<RescoreBatch | undefined>,
): Promise<RescoreSummary> {
  const batchSize = request.batchSize ?? DEFAULT_RESCORE_BATCH;
  const maxCrossings = request.maxCrossings ?? DEFAULT_MAX_CROSSINGS;
  let after = NIL_UUID;
  for (;;) {
    request.signal?.throwIfAborted();
    const batch = await inTransaction(ds, (q) => runBatch(q, after, batchSize), { attempts });
    if (!batch) break;
    after = batch.last;
    summary.batches++;
    summary.customers += batch.count;
    summary.skipped += batch.skipped;
    summary.changed += batch.changed;
    summary.crossedCount += batch.crossings.length;
    summary.crossed.push(...batch.crossings.slice(0, Math.max(0, maxCrossings - summary.crossed.length)));
    if (batch.count < batchSize) break;
  }
  return summary;
}

/**
 * The next batch of live customers after `after`, row-locked in ascending id order, leaving out
 * those this scope already rescored on `day` (not even locked; the caller checks again under
 * the lock). `filter` narrows it further, its parameters from $5.
 */
export function lockRescoreBatch<T>(
  q: QueryRunner,
  p: { columns: string; after: string; batchSize: number; scope: string; day: string; filter?: string; filterParams?: unknown[] },
): Promise<T[]> {
  return q.query(
    `SELECT ${p.columns} FROM customers c
      WHERE id > $1 AND merged_into IS NULL AND erased_at IS NULL ${p.filter ?? ''}
        AND NOT EXISTS (SELECT 1 FROM customer_events e WHERE e.idempotency_key = $3 || c.id::text || $4)
      ORDER BY id LIMIT $2 FOR NO KEY UPDATE OF c`,
    [p.after, p.batchSize, `${p.scope}:`, `:${p.day}`, ...(p.filterParams ?? [])],
  );
}

/**
 * Decay, inactivity and thresholds for every live customer, in keyset batches of
 * `batchSize` customers, one transaction each: lock the batch (ascending id), read its
 * counters, inactivity facts and today's keys in one statement, evaluate, write the changes
 * in one statement. A customer this scope already rescored today is left alone, so running
 * it twice a day, or again after a crash half-way, changes nothing twice. Customers are
 * visited only where something can change: with inactivity rules, all; otherwise those
 * whose decay is worth its smallest step (decay only), or all (thresholds only: that is how
 * changed thresholds reach customers whose score does not move).
 */
export async function rescoreRules(ds: DataSource, request: RescoreRequest, now: Date, attempts: number): Promise<RescoreSummary> {
  const started = Date.now();
  const config: RulesModelConfig = request.rules ?? {};
  const day = now.toISOString().slice(0, 10);
  const summary: RescoreSummary = { model: 'rules', day, customers: 0, changed: 0, skipped: 0, crossedCount: 0, crossed: [], batches: 0, ms: 0 };
  const hasInactivity = (config.inactivity?.length ?? 0) > 0;
  const hasDecay = (config.decay?.halfLifeDays ?? 0) > 0;
  if (!hasInactivity && !hasDecay && !(config.thresholds?.length ?? 0)) return { ...summary, ms: Date.now() - started };
  // Without inactivity rules only a decay worth its smallest step can change anyone: the
  // others are not even locked (a loose bound in SQL; the evaluation decides exactly).
  const filter = hasInactivity
    ? ''
    : hasDecay
      ? `AND score <> 0 AND score_updated_at IS NOT NULL
         AND abs(score) * (1 - power(0.5, extract(epoch FROM ($5::timestamptz - score_updated_at)) / 86400 / $6::float8)) >= $7::float8 - 0.5`
      : '';
  const filterParams = hasDecay && !hasInactivity ? [now.toISOString(), config.decay!.halfLifeDays, config.decay!.minPoints ?? 1] : [];
  const counted = countedRuleIds(config);
  const countedSet = new Set(counted);
  await rescoreInBatches(ds, request, attempts, summary, async (q, after, batchSize) => {
    // Rows merged or erased while we waited for their lock drop out on the recheck; those
    // rescored today are not even locked (and checked again below, under the lock).
    const rows = await lockRescoreBatch<LockedCustomerRow>(q, { columns: LOCKED_COLUMNS, after, batchSize, scope: request.scope, day, filter, filterParams });
    if (rows.length === 0) return undefined;
    const ids = rows.map((r) => r.id);
    const facts = await loadScoringFacts(q, ids, ids.map((id) => rescoreKey(request.scope, id, day)), counted, config.inactivity ?? []);
    const changes: ScoreChange[] = [];
    let skipped = 0;
    for (const row of rows) {
      const key = rescoreKey(request.scope, row.id, day);
      if (facts.replays.has(key)) {
        skipped++;
        continue;
      }
      const evaluation = await evaluateRules({
        config,
        customer: scoringCustomer(row),
        counters: facts.counters.get(row.id) ?? new Map(),
        inactivity: facts.inactivity.get(row.id) ?? [],
        now,
      });
      if (evaluation.changed) changes.push({ customerId: row.id, idempotencyKey: key, evaluation });
    }
    await writeScoreChanges(q, changes, countedSet, request.provenance, now);
    const crossings = changes
      .filter((c) => c.evaluation.crossed.length > 0)
      .map(({ customerId, evaluation: e }) => ({ customerId, score: e.after.score, scoreDelta: e.delta, priority: e.after.priority, stage: e.after.stage, crossed: e.crossed }));
    return { last: rows[rows.length - 1]!.id, count: rows.length, skipped, changed: changes.length, crossings };
  });
  summary.ms = Date.now() - started;
  return summary;
}
