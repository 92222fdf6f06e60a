import type { DataSource } from 'typeorm';
import type { ErasureResult } from './customer-store.types.js';
import { affected, inTransaction } from './util/transaction.util.js';
import { isUuid } from './util/uuid-v7.util.js';

/**
 * Erasure on request (GDPR art. 17, PIPL art. 47): deletes the customer's identities,
 * clears attributes, name, tags, every timeline payload and decision, review item, shared
 * identity, blocking key and merge snapshot, for the
 * customer and any customer merged into it. The rows stay as tombstones (erased_at) so
 * references from runs and merges do not dangle; the audit entry holds counts, not data.
 * Run logs live in the runtime's tables: the API erases those alongside.
 */
export async function eraseCustomer(ds: DataSource, id: string, actor: string): Promise<ErasureResult | undefined> {
  if (!isUuid(id)) return undefined;
  return inTransaction(ds, async (q) => {
    const rows: { id: string }[] = await q.query(
      `SELECT id FROM customers WHERE id = $1 OR merged_into = $1 ORDER BY id FOR UPDATE`,
      [id],
    );
    if (!rows.some((r) => r.id === id)) return undefined;
    const ids = rows.map((r) => r.id);
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
    await q.query(
      `UPDATE customers SET display_name = NULL, attributes = '{}'::jsonb, tags = '{}', owner_id = NULL, account_id = NULL,
              score = 0, erased_at = now(), updated_at = now(), version = version + 1
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const [audit]: { id: string }[] = await q.query(
      `INSERT INTO audit_log (actor, action, entity, entity_id, details) VALUES ($1, 'customer.erased', 'customer', $2, $3::jsonb) RETURNING id`,
      [actor, id, JSON.stringify({ customerIds: ids, identitiesDeleted, eventsScrubbed })],
    );
    return { customerIds: ids, identitiesDeleted, eventsScrubbed, auditId: String(audit!.id) };
  });
}
