import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The shared cache behind ctx.cache, and poll backoff state. */
export class Connectors1764000000000 implements MigrationInterface {
  name = 'Connectors1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // Unlogged: tokens and rate-limit windows can be fetched again after a crash; writes stay cheap.
    await q.query(`
      CREATE UNLOGGED TABLE shared_cache (
        key text PRIMARY KEY,
        value text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX shared_cache_expires_idx ON shared_cache (expires_at)`);
    await q.query(`ALTER TABLE trigger_state ADD COLUMN consecutive_errors int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE trigger_state ADD COLUMN next_poll_at timestamptz NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger_state DROP COLUMN next_poll_at`);
    await q.query(`ALTER TABLE trigger_state DROP COLUMN consecutive_errors`);
    await q.query(`DROP TABLE shared_cache`);
  }
}
