import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Substring search on names at 1M customers (`GET /api/customers?q=`, measured in docs/performance.md).
 * A `LIKE '%q%'` can use no b-tree, and pg_trgm does not help: Chinese names are two or three
 * characters (a two-character query has no trigram), and under the C locale of the embedded Postgres
 * pg_trgm skips CJK characters altogether. So each live customer's lower-cased name is indexed as the
 * array of its characters: the query asks first for names holding every character of `q` (a GIN
 * intersection, rare names are cheap), and the LIKE rechecks the order on those few rows.
 */
export class NameSearch1764250000000 implements MigrationInterface {
  name = 'NameSearch1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_customers_name_chars ON customers USING gin (string_to_array(lower(display_name), NULL)) WHERE merged_into IS NULL AND erased_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_customers_name_chars`);
  }
}
