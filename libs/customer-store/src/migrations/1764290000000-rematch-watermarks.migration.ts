import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each `customer.rematch` of scope `changed` got to: the start of its last completed run.
 * Keyed by the node (`flowId/nodeId`), so two flows rematching keep their own.
 */
export class RematchWatermarks1764290000000 implements MigrationInterface {
  name = 'RematchWatermarks1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS rematch_watermarks (
        key text PRIMARY KEY,
        changed_since timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The changed customers are read in (updated_at, id) order through ix_customers_updated, backwards.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rematch_watermarks`);
  }
}
