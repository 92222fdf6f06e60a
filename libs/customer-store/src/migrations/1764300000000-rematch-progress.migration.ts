import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a `customer.rematch` that resolves a page at a time (scope `changed`, or `all` beyond
 * its memory) has got to, written after each page is applied: a run that died (a worker killed,
 * a deploy) continues from its last page instead of starting over, which at a million customers
 * is most of an hour. One row per key while a run is unfinished; the run that completes deletes
 * it in the transaction that moves the watermark.
 */
export class RematchProgress1764300000000 implements MigrationInterface {
  name = 'RematchProgress1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS rematch_progress (
        key text PRIMARY KEY,
        -- What was asked for: a run of another scope or merge mode starts afresh.
        scope text NOT NULL CHECK (scope IN ('all', 'changed')),
        merge text NOT NULL CHECK (merge IN ('confident', 'none')),
        -- The customers changed at or after this time are being resolved (the epoch for a paged all).
        since timestamptz NOT NULL,
        -- Why a run of scope all is paged, as its summary says.
        paged text,
        -- The last customer applied, in (updated_at, id) order; microseconds since the epoch.
        after_us bigint NOT NULL,
        after_id uuid NOT NULL,
        -- The summary's counts so far (customers, links, merged, queued, skipped, uncompared).
        counts jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rematch_progress`);
  }
}
