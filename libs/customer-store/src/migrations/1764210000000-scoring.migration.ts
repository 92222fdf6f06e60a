import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * customer.score's counters: how often each rule was applied to a customer (once-per-customer
 * and maxTimes limits), and for inactivity rules the silence they last applied in, so a
 * rescore never applies one twice. One row per customer and rule, read by primary key.
 */
export class Scoring1764210000000 implements MigrationInterface {
  name = 'Scoring1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_score_rules (
        customer_id uuid NOT NULL CONSTRAINT fk_customer_score_rules_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        rule text NOT NULL,
        times integer NOT NULL DEFAULT 0,
        spell_at timestamptz,
        spell_times integer NOT NULL DEFAULT 0,
        last_applied_at timestamptz NOT NULL,
        PRIMARY KEY (customer_id, rule)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS customer_score_rules`);
  }
}
