import type { DataSource, QueryRunner } from 'typeorm';
import { mergedInto } from './customer-merge.command.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { ErasureResult } from './customer-store.types.js';
import { affected, inTransaction } from './util/transaction.util.js';
import { isUuid } from './util/uuid-v7.util.js';

/**
 * Erasure on request (GDPR art. 17, PIPL art. 47): deletes the customer's identities,
 * clears attributes, name, tags, every timeline payload and decision, review item, shared
 * identity, blocking key, merge snapshot and the match reasons quoted in the merges' audit
 * entries, for the person: the customer, its survivor when it was merged into another, and
 * every customer merged into that survivor, however many merges ago (a into b, later b into c:
 * erasing c erases a too, whose tombstone still holds the name it had). The rows stay as
 * tombstones (erased_at) so references from runs and merges do not dangle; the audit entry
 * holds counts, not data. Run logs live in the runtime's tables: the result names the runs
 * that wrote the person's timeline, and the API erases those alongside.
 */
export async function eraseCustomer(ds: DataSource, id: string, actor: string): Promise<ErasureResult | undefined> {
  if (!isUuid(id)) return undefined;
  return inTransaction(ds, async (q) => {
    const survivor = await survivorOf(q, id);
    if (!survivor) return undefined;
    // Rows locked in ascending id order like merges and undos (which lock their tombstones too), then
    // checked: a merge into or of the survivor between the read and the lock starts us again.
    const ids = [survivor, ...(await mergedInto(q, [survivor]))];
    const locked: { id: string; merged_into: string | null }[] = await q.query(
      `SELECT id, merged_into FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    const now = [survivor, ...(await mergedInto(q, [survivor]))];
    if (locked.find((r) => r.id === survivor)?.merged_into || now.length !== ids.length || now.some((x) => !ids.includes(x))) {
      throw new CustomerStoreError('identity_race', 'the customer was merged while the erasure was locking it');
    }
    const runs: { run_id: string }[] = await q.query(
      `SELECT DISTINCT run_id FROM customer_events WHERE customer_id = ANY($1::uuid[]) AND run_id IS NOT NULL`,
      [ids],
    );
    const identitiesDeleted = await affected(q, `DELETE FROM customer_identities WHERE customer_id = ANY($1::uuid[])`, [ids]);
    const eventsScrubbed = await affected(
      q,
      `UPDATE customer_events SET payload = NULL, resolution = NULL WHERE customer_id = ANY($1::uuid[]) AND (payload IS NOT NULL OR resolution IS NOT NULL)`,
      [ids],
    );
    // Review reasons quote the values compared, shares and blocking keys are values: all personal data.
    await q.query(`DELETE FROM match_reviews WHERE customer_id = ANY($1::uuid[]) OR candidate_id = ANY($1::uuid[])`, [ids]);
    await q.query(`DELETE FROM customer_identity_shares WHERE customer_id = ANY($1::uuid[])`, [ids]);
    await q.query(`DELETE FROM customer_match_keys WHERE customer_id = ANY($1::uuid[])`, [ids]);
    // Task texts are built from the customer's fields and assignment reasons may quote them. (Segments
    // see the erasure through updated_at: the evaluator records the customer leaving.)
    await q.query(`UPDATE tasks SET title = '(erased)', description = NULL, status = CASE WHEN status = 'open' THEN 'cancelled' ELSE status END, updated_at = now() WHERE customer_id = ANY($1::uuid[])`, [ids]);
    await q.query(`UPDATE assignments SET reason = '{}'::jsonb WHERE customer_id = ANY($1::uuid[])`, [ids]);
    await q.query(
      `UPDATE customer_merges SET snapshot = NULL, reason = '{}'::jsonb WHERE target_id = ANY($1::uuid[]) OR source_ids && $1::uuid[]`,
      [ids],
    );
    // A merge's audit entry quotes the match reasons ("phone +86139… equal", the names compared).
    await q.query(
      `UPDATE audit_log SET details = jsonb_set(details, '{reason}', '{}'::jsonb)
        WHERE entity = 'customer' AND entity_id = ANY($1::text[]) AND action = 'customer.merged' AND details ? 'reason'`,
      [ids],
    );
    await q.query(
      `UPDATE customers SET display_name = NULL, attributes = '{}'::jsonb, tags = '{}', owner_id = NULL, account_id = NULL,
              score = 0, erased_at = now(), updated_at = now(), version = version + 1
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const [audit]: { id: string }[] = await q.query(
      `INSERT INTO audit_log (actor, action, entity, entity_id, details) VALUES ($1, 'customer.erased', 'customer', $2, $3::jsonb) RETURNING id`,
      [actor, survivor, JSON.stringify({ customerIds: ids, identitiesDeleted, eventsScrubbed })],
    );
    return { customerIds: ids, identitiesDeleted, eventsScrubbed, auditId: String(audit!.id), runIds: runs.map((r) => r.run_id) };
  });
}

/** Where a chain of merges from `id` ends (erased or not); undefined for no such customer. */
async function survivorOf(q: QueryRunner, id: string): Promise<string | undefined> {
  const seen = new Set<string>();
  for (let cur = id; ; ) {
    const [row]: { merged_into: string | null }[] = await q.query(`SELECT merged_into FROM customers WHERE id = $1`, [cur]);
    if (!row) return undefined;
    if (!row.merged_into || seen.has(row.merged_into)) return cur;
    seen.add(cur);
    cur = row.merged_into;
  }
}

