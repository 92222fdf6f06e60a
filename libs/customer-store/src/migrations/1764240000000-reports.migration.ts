import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the reports API reads through (measured at 1M customers and 3M events, see
 * docs/reports.md): cohorts of customers created in a period; a narrow copy of every live
 * customer's channel, owner, stage and creation time, so that joining events to their
 * customer never reads the wide customer rows; the timeline by time alone (lifecycle reads
 * 90 days of interactions before the period); and the events of one order (revenue counts
 * each order once).
 */
export class Reports1764240000000 implements MigrationInterface {
  name = 'Reports1764240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_customers_created ON customers (created_at) WHERE merged_into IS NULL AND erased_at IS NULL`);
    await q.query(
      `CREATE INDEX ix_customers_live ON customers (id) INCLUDE (created_at, first_channel, owner_id, stage) WHERE merged_into IS NULL AND erased_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_customer_events_time ON customer_events (occurred_at) INCLUDE (customer_id, type)`);
    await q.query(`CREATE INDEX ix_customer_events_order ON customer_events (customer_id, (payload ->> 'order_id')) WHERE payload ? 'order_id'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const ix of ['ix_customer_events_order', 'ix_customer_events_time', 'ix_customers_live', 'ix_customers_created']) await q.query(`DROP INDEX IF EXISTS ${ix}`);
  }
}
