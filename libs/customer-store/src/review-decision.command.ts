import type { QueryRunner } from 'typeorm';
import { audit, followMerges, recordSeparations, runMerge } from './customer-merge.command.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { MergeResult } from './customer-store.types.js';
import type { MatchConfig } from './matching/index.js';
import { isUuid } from './util/uuid-v7.util.js';

export type ReviewDecision = 'merge' | 'separate';

/**
 * Decides a pending review item in the caller's transaction. `merge` merges the record's
 * customer into the candidate (the customer that was there first) through runMerge;
 * `separate` records the pair as different people, so it is never queued or merged
 * automatically again. Returns the merge, if any.
 */
export async function runDecideReview(
  q: QueryRunner,
  id: string,
  decision: ReviewDecision,
  actor: string,
  now: Date,
  config: MatchConfig,
): Promise<MergeResult | undefined> {
  if (decision !== 'merge' && decision !== 'separate') throw new CustomerStoreError('invalid_input', 'decision must be merge or separate');
  if (typeof actor !== 'string' || !actor) throw new CustomerStoreError('invalid_input', 'actor is required');
  if (!isUuid(id)) throw new CustomerStoreError('not_found', `no review item ${id}`);
  // Read without a lock: every writer locks customers before the review rows of their pairs (a
  // merge closes them, an erasure deletes them, deliveries and rematches queue them), so a decision
  // that held the item's row while waiting for a customer would deadlock with them. The customers
  // are locked first, then the item's row, and the item checked again.
  const [review]: { id: string; customer_id: string; candidate_id: string; status: string; score: number; reasons: unknown }[] = await q.query(
    `SELECT id, customer_id, candidate_id, status, score, reasons FROM match_reviews WHERE id = $1`,
    [id],
  );
  if (!review) throw new CustomerStoreError('not_found', `no review item ${id}`);
  if (review.status !== 'pending') throw new CustomerStoreError('conflict', `the review item was already decided (${review.status})`);
  const live = await followMerges(q, [review.customer_id, review.candidate_id]);
  const a = live.get(review.customer_id)!;
  const b = live.get(review.candidate_id)!;
  let merge: MergeResult | undefined;
  if (decision === 'merge') {
    if (a !== b) {
      merge = await runMerge(q, b, [a], { actor, reason: { reviewId: id, score: review.score, reasons: review.reasons } }, now, config);
    }
    const [held]: { status: string; merge_id: string | null }[] = await q.query(`SELECT status, merge_id FROM match_reviews WHERE id = $1 FOR UPDATE`, [id]);
    // Decided by someone else meanwhile (or erased): this merge rolls back with the transaction.
    if (!held) throw new CustomerStoreError('not_found', `no review item ${id}`);
    if (held.status !== 'pending' && !(merge && held.merge_id === merge.mergeId)) {
      throw new CustomerStoreError('conflict', `the review item was already decided (${held.status})`);
    }
    // runMerge closed the item when both sides were still the reviewed pair; close it in any case.
    await q.query(
      `UPDATE match_reviews SET status = 'merged', decided_at = $2::timestamptz, decided_by = $3, merge_id = COALESCE(merge_id, $4) WHERE id = $1`,
      [id, now.toISOString(), actor, merge?.mergeId ?? null],
    );
  } else {
    if (a === b) throw new CustomerStoreError('conflict', 'the two customers were merged since: undo the merge to separate them');
    // The pair's rows (ascending, like every writer), which the separation's foreign keys would
    // otherwise wait for while this transaction holds the item; merged or erased since the read:
    // read again.
    const pair: { merged_into: string | null; erased_at: Date | null }[] = await q.query(
      `SELECT merged_into, erased_at FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE`,
      [[a, b]],
    );
    if (pair.length !== 2 || pair.some((c) => c.merged_into || c.erased_at)) {
      throw new CustomerStoreError('identity_race', 'a customer of the pair was merged or erased while the decision was locking it');
    }
    const [held]: { status: string }[] = await q.query(`SELECT status FROM match_reviews WHERE id = $1 FOR UPDATE`, [id]);
    if (!held) throw new CustomerStoreError('not_found', `no review item ${id}`);
    if (held.status !== 'pending') throw new CustomerStoreError('conflict', `the review item was already decided (${held.status})`);
    await recordSeparations(q, [[a, b]], actor, now, id);
    await q.query(`UPDATE match_reviews SET status = 'separated', decided_at = $2::timestamptz, decided_by = $3 WHERE id = $1`, [id, now.toISOString(), actor]);
  }
  await audit(q, actor, `review.${decision === 'merge' ? 'merged' : 'separated'}`, id, { customerId: a, candidateId: b, mergeId: merge?.mergeId ?? null }, 'match_review');
  return merge;
}
