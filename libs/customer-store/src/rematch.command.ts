import type { DataSource } from 'typeorm';
import { followMerges, runMerge } from './customer-merge.command.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { AttributeMap, MergeResult } from './customer-store.types.js';
import { BatchMatcher, DEFAULT_MATCH_CONFIG, identityFuzzyFields, type MatchConfig, type MatchReason } from './matching/index.js';
import { customerFields } from './record-fields.util.js';
import { pairKey } from './customer-upsert.command.js';
import { inTransaction } from './util/transaction.util.js';
import { uuidv7 } from './util/uuid-v7.util.js';

// Live customers read per statement (keyset on id).
const PAGE = 5_000;
// Review items written per statement.
const REVIEW_CHUNK = 500;

export interface RematchRequest {
  /**
   * `confident` (default): a link the rules make by a fuzzy score at or above the merge
   * threshold merges the two customers; every other link (an identifier two customers hold, a
   * rare name, cluster-level evidence) queues a review. `none`: every link queues a review.
   */
  merge?: 'confident' | 'none';
  /** Who the merges and reviews are by, in the audit log (default `system:rematch`). */
  actor?: string;
  /** Merges listed in the summary at most (all are counted). Default 100. */
  maxListed?: number;
  /** Compute and count, change nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface RematchSummary {
  /** Live customers compared. */
  customers: number;
  /** Links the rules made between them. */
  links: number;
  merged: number;
  /** Review items written (a pair already pending is not queued twice). */
  queued: number;
  /** Links between customers a person told apart, or merged meanwhile into one: left alone. */
  skipped: number;
  merges: MergeResult[];
  elapsedMs: number;
}

interface Link {
  source: string;
  target: string;
  confident: boolean;
  score: number;
  reasons: MatchReason[];
}

/**
 * Identity resolution over the whole store with the batch matcher (the rules of `tributary
 * match`, cluster-level passes included): every live customer is one record, its identities
 * and its surviving profile. A delivery is resolved against what the store holds when it
 * arrives, and only with the candidates its blocking keys find; a profile completed later (a
 * company from the next order) or a customer created after it is never compared again. This
 * compares them all. Confident links merge (undoable, audited), the rest queue reviews with
 * their reasons; pairs a person separated are left alone. Running it again repeats nothing:
 * merged customers are one record, pending pairs are not queued twice.
 */
export async function runRematch(
  ds: DataSource,
  request: RematchRequest,
  env: {
    now: () => Date;
    attempts: number;
    /** The store's rules: the blocking keys a merged customer is stored with. */
    storeConfig: MatchConfig;
    /** The rules compared with (default: tributary match's). */
    rules?: MatchConfig;
  },
): Promise<RematchSummary> {
  const { now, attempts, storeConfig } = env;
  const config = env.rules ?? DEFAULT_MATCH_CONFIG;
  const started = Date.now();
  const actor = request.actor ?? 'system:rematch';
  const merge = request.merge ?? 'confident';
  if (merge !== 'confident' && merge !== 'none') throw new CustomerStoreError('invalid_input', 'merge must be confident or none');
  const matcher = new BatchMatcher(config);
  const phoneFields = identityFuzzyFields(config);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    if (request.signal?.aborted) throw new CustomerStoreError('invalid_input', 'rematch cancelled');
    const rows: { id: string; attributes: AttributeMap; identities: { type: string; value: string }[] | null }[] = await ds.query(
      `SELECT c.id, c.attributes,
              (SELECT json_agg(json_build_object('type', i.type, 'value', COALESCE(i.match_key, i.value)) ORDER BY i.id)
                 FROM customer_identities i WHERE i.customer_id = c.id) AS identities
         FROM customers c
        WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND c.id > $1
        ORDER BY c.id LIMIT $2`,
      [after, PAGE],
    );
    for (const row of rows) {
      const identities = row.identities ?? [];
      const fields = customerFields(row.attributes);
      // Identity types the rules also compare as fields (phone, for a masked or mistyped number): the first one held.
      for (const type of phoneFields) if (fields[type] === undefined) fields[type] = identities.find((i) => i.type === type)?.value;
      matcher.add({ id: row.id, identities, fields });
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }

  // The links, with their reasons worked out only when they are written (a dry run only counts).
  const links: Link[] = [];
  matcher.clusterIds();
  let linkCount = 0;
  let confidentCount = 0;
  for (let i = 0; i < matcher.count; i++) {
    const d = matcher.decision(i);
    if (d.kind === 'new' || d.kind === 'review' || !d.target) continue;
    const confident = merge === 'confident' && d.kind === 'fuzzy' && !d.rare && !d.cluster;
    linkCount++;
    if (confident) confidentCount++;
    if (request.dryRun) continue;
    const reasons = matcher.explain(i);
    const score = reasons.reduce((s, r) => s + (r.weight ?? 0), 0);
    links.push({
      source: matcher.idOf(i),
      target: d.target,
      confident,
      score: Math.round(score * 1000) / 1000,
      reasons: [{ rule: 'rematch', detail: `store rematch: ${matcher.reason(i)}` }, ...reasons],
    });
  }
  const summary: RematchSummary = { customers: matcher.count, links: linkCount, merged: 0, queued: 0, skipped: 0, merges: [], elapsedMs: 0 };
  if (request.dryRun) {
    summary.merged = confidentCount;
    summary.queued = linkCount - confidentCount;
    summary.elapsedMs = Date.now() - started;
    return summary;
  }

  // Reviews first: a merge below then closes the items it makes moot (both sides in one customer).
  const separated = new Set(
    ((await ds.query(`SELECT customer_a, customer_b FROM customer_separations`)) as { customer_a: string; customer_b: string }[]).map((r) => pairKey(r.customer_a, r.customer_b)),
  );
  const toReview = links.filter((l) => !l.confident);
  for (let k = 0; k < toReview.length; k += REVIEW_CHUNK) {
    const chunk = toReview.slice(k, k + REVIEW_CHUNK).filter((l) => {
      if (!separated.has(pairKey(l.source, l.target))) return true;
      summary.skipped++;
      return false;
    });
    if (chunk.length === 0) continue;
    const at = now();
    // In pair order, like every writer of review items, and retried on a deadlock: deliveries and
    // merges write and close items of the same pairs meanwhile.
    const rows = chunk
      .map((l) => ({ id: uuidv7(at.getTime()), customer_id: l.source, candidate_id: l.target, score: l.score, reasons: l.reasons }))
      .sort((a, b) => (pairKey(a.customer_id, a.candidate_id) < pairKey(b.customer_id, b.candidate_id) ? -1 : 1))
      .map((r, n) => ({ ...r, n }));
    // Only between customers still live (one may have been merged or erased since the read).
    const inserted: { id: string }[] = await inTransaction(
      ds,
      (q) =>
        q.query(
          `INSERT INTO match_reviews (id, customer_id, candidate_id, score, reasons, created_at)
           SELECT r.id, r.customer_id, r.candidate_id, r.score, r.reasons, $2::timestamptz
             FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, customer_id uuid, candidate_id uuid, score double precision, reasons jsonb, n int)
             JOIN customers a ON a.id = r.customer_id AND a.merged_into IS NULL AND a.erased_at IS NULL
             JOIN customers b ON b.id = r.candidate_id AND b.merged_into IS NULL AND b.erased_at IS NULL
            ORDER BY r.n
           ON CONFLICT DO NOTHING
           RETURNING id`,
          [JSON.stringify(rows), at.toISOString()],
        ),
      { attempts },
    );
    summary.queued += inserted.length;
  }

  const maxListed = request.maxListed ?? 100;
  for (const link of links) {
    if (!link.confident) continue;
    if (request.signal?.aborted) throw new CustomerStoreError('invalid_input', 'rematch cancelled');
    const result = await inTransaction(
      ds,
      async (q) => {
        // Each merge in its own transaction, on the customers as they are now: followed to their
        // survivors, and not when a person told those apart.
        let live: Map<string, string>;
        try {
          live = await followMerges(q, [link.target, link.source]);
        } catch (err) {
          if (err instanceof CustomerStoreError && (err.code === 'conflict' || err.code === 'not_found')) return undefined; // erased meanwhile
          throw err;
        }
        const [target, source] = [live.get(link.target)!, live.get(link.source)!];
        if (target === source) return undefined;
        const [x, y] = target < source ? [target, source] : [source, target];
        const [sep] = await q.query(`SELECT 1 FROM customer_separations WHERE customer_a = $1 AND customer_b = $2`, [x, y]);
        if (sep) return undefined;
        return runMerge(q, target, [source], { actor, reason: { rule: 'rematch', score: link.score, reasons: link.reasons } }, now(), storeConfig);
      },
      { attempts },
    );
    if (!result) {
      summary.skipped++;
      continue;
    }
    summary.merged++;
    if (summary.merges.length < maxListed) summary.merges.push(result);
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

