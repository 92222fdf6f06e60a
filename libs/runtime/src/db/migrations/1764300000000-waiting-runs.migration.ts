import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs that pause (core.delay) without holding a worker: a `waiting` status and resume times. */
export class WaitingRuns1764300000000 implements MigrationInterface {
  name = 'WaitingRuns1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs DROP CONSTRAINT IF EXISTS runs_status_check`);
    await q.query(`ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN ('queued','running','waiting','succeeded','failed','cancelled'))`);
    await q.query(`ALTER TABLE runs ADD COLUMN resume_at timestamptz NULL`);
    await q.query(`ALTER TABLE run_steps ADD COLUMN resume_at timestamptz NULL`);
    await q.query(`DROP INDEX IF EXISTS runs_unfinished_idx`);
    await q.query(`CREATE INDEX runs_unfinished_idx ON runs (updated_at) WHERE status IN ('queued','running','waiting')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS runs_unfinished_idx`);
    await q.query(`CREATE INDEX runs_unfinished_idx ON runs (updated_at) WHERE status IN ('queued','running')`);
    await q.query(`ALTER TABLE run_steps DROP COLUMN resume_at`);
    await q.query(`ALTER TABLE runs DROP COLUMN resume_at`);
    await q.query(`UPDATE runs SET status = 'running' WHERE status = 'waiting'`);
    await q.query(`ALTER TABLE runs DROP CONSTRAINT IF EXISTS runs_status_check`);
    await q.query(`ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN ('queued','running','succeeded','failed','cancelled'))`);
  }
}
