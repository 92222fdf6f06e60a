import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bulk file imports (files.import): progress, bad rows and the lease of the process reading the file. */
export class Imports1764100000000 implements MigrationInterface {
  name = 'Imports1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        flow_id text NOT NULL,
        flow_version int NOT NULL,
        node_id text NOT NULL,
        config jsonb NOT NULL,
        file_name text NOT NULL,
        file_path text NULL,
        file_sha256 text NOT NULL,
        file_info jsonb NULL,
        status text NOT NULL CHECK (status IN ('running','succeeded','failed','cancelled')),
        bytes_total bigint NOT NULL,
        bytes_read bigint NOT NULL DEFAULT 0,
        bytes_per_second double precision NULL,
        rows_read bigint NOT NULL DEFAULT 0,
        rows_accepted bigint NOT NULL DEFAULT 0,
        rows_duplicate bigint NOT NULL DEFAULT 0,
        rows_failed bigint NOT NULL DEFAULT 0,
        checkpoint bigint NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]',
        error jsonb NULL,
        owner text NULL,
        lease_until timestamptz NULL,
        attempts int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX imports_flow_created_idx ON imports (flow_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX imports_created_idx ON imports (created_at DESC, id DESC)`);
    // The resume sweep looks only at imports still running.
    await q.query(`CREATE INDEX imports_running_idx ON imports (lease_until) WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE imports`);
  }
}
