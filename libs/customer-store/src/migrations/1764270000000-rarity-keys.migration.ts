import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { AttributeMap } from '../customer-store.types.js';
import { customerFields, RARITY_KEY_PREFIX, rarityKeysOf } from '../record-fields.util.js';
import { STORE_MATCH_CONFIG } from '../store-match.config.js';

const BATCH = 5_000;

/**
 * Since this release the store counts how many customers hold a name (its rarity key, stored
 * among customer_match_keys), so that a rare name earns the matcher's rare bonus. A store
 * written before holds no such keys, and every name would look rare in it: each live
 * customer's rarity keys are written here, under the store's default rules. Keyset batches by id.
 */
export class RarityKeys1764270000000 implements MigrationInterface {
  name = 'RarityKeys1764270000000';

  async up(q: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; attributes: AttributeMap | null }[] = await q.query(
        `SELECT id, attributes FROM customers WHERE id > $1 AND merged_into IS NULL AND erased_at IS NULL ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const ids: string[] = [];
      const keys: string[] = [];
      for (const r of rows) {
        for (const k of rarityKeysOf(customerFields(r.attributes ?? {}), STORE_MATCH_CONFIG)) {
          ids.push(r.id);
          keys.push(k);
        }
      }
      if (ids.length > 0) {
        await q.query(`INSERT INTO customer_match_keys (customer_id, key) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`, [ids, keys]);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM customer_match_keys WHERE starts_with(key, $1)`, [RARITY_KEY_PREFIX]);
  }
}
