import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What customer.assign and the task list read often: each owner's open customers (least-loaded
 * and capacities count them per assignment, under the team's lock, so the count must be an
 * index-only scan, not a heap visit per customer), and open tasks by due time across owners.
 */
export class Assignment1764220000000 implements MigrationInterface {
  name = 'Assignment1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_customers_owner_open ON customers (owner_id, stage) WHERE owner_id IS NOT NULL AND merged_into IS NULL AND erased_at IS NULL`);
    await q.query(`CREATE INDEX ix_tasks_status_due ON tasks (status, due_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_tasks_status_due`);
    await q.query(`DROP INDEX IF EXISTS ix_customers_owner_open`);
  }
}
