import type { MigrationInterface, QueryRunner } from 'typeorm';
import { emailMatchKey } from '../normalization/email.normalizer.js';

const BATCH = 5_000;

/**
 * E-mail match keys fold a public provider's mistyped domain (zhang@163.con → zhang@163.com)
 * since this release, and the store links e-mails by their match key. The keys stored before
 * are computed again, so that a stored zhang@163.con meets a new zhang@163.com. Keyset batches
 * by id; only rows whose key changes are written.
 */
export class EmailMatchKeys1764260000000 implements MigrationInterface {
  name = 'EmailMatchKeys1764260000000';

  async up(q: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; value: string; match_key: string | null }[] = await q.query(
        `SELECT id, value, match_key FROM customer_identities WHERE type = 'email' AND id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const ids: string[] = [];
      const keys: (string | null)[] = [];
      for (const r of rows) {
        const computed = emailMatchKey(r.value);
        const key = computed === r.value ? null : computed;
        if (key === r.match_key) continue;
        ids.push(r.id);
        keys.push(key);
      }
      if (ids.length > 0) {
        await q.query(`UPDATE customer_identities i SET match_key = c.key FROM unnest($1::uuid[], $2::text[]) AS c(id, key) WHERE i.id = c.id`, [ids, keys]);
      }
    }
  }

  async down(): Promise<void> {
    // The folded keys hold every alias the earlier ones did, and the earlier code reads
    // match_key for no decision: there is nothing to take back.
  }
}
