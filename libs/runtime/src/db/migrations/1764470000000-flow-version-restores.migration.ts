import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A version saved by a rollback records which earlier version it copies. */
export class FlowVersionRestores1764470000000 implements MigrationInterface {
  name = 'FlowVersionRestores1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flow_versions ADD COLUMN IF NOT EXISTS restored_from int NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flow_versions DROP COLUMN IF EXISTS restored_from`);
  }
}
