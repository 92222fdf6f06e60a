import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What identity resolution needs on top of the first schema: the review queue, the pairs a
 * human declared different people, blocking keys for fuzzy candidates, identity values
 * that several customers presented (shared family phones), and the decision written with
 * each timeline event.
 */
export class Resolution1763900000000 implements MigrationInterface {
  name = 'Resolution1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // Candidate pairs waiting for a human. The pair is unordered: one pending item per pair,
    // whichever side the record that raised it landed on.
    await q.query(`
      CREATE TABLE match_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL CONSTRAINT fk_match_reviews_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        candidate_id uuid NOT NULL CONSTRAINT fk_match_reviews_candidate REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        score double precision NOT NULL DEFAULT 0,
        reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT ck_match_reviews_status CHECK (status IN ('pending', 'merged', 'separated')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by text,
        merge_id uuid,
        CONSTRAINT ck_match_reviews_pair CHECK (customer_id <> candidate_id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_match_reviews_pending_pair ON match_reviews (LEAST(customer_id, candidate_id), GREATEST(customer_id, candidate_id)) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX ix_match_reviews_queue ON match_reviews (status, created_at, id)`);
    await q.query(`CREATE INDEX ix_match_reviews_candidate ON match_reviews (candidate_id)`);
    await q.query(`CREATE INDEX ix_match_reviews_customer ON match_reviews (customer_id)`);

    // Stored with the smaller id first so one lookup answers both orders.
    await q.query(`
      CREATE TABLE customer_separations (
        customer_a uuid NOT NULL CONSTRAINT fk_customer_separations_a REFERENCES customers (id) ON DELETE CASCADE,
        customer_b uuid NOT NULL CONSTRAINT fk_customer_separations_b REFERENCES customers (id) ON DELETE CASCADE,
        review_id uuid,
        actor text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_a, customer_b),
        CONSTRAINT ck_customer_separations_order CHECK (customer_a < customer_b)
      )`);
    await q.query(`CREATE INDEX ix_customer_separations_b ON customer_separations (customer_b)`);

    // Blocking: a record is scored only against customers sharing one of its keys.
    await q.query(`
      CREATE TABLE customer_match_keys (
        customer_id uuid NOT NULL CONSTRAINT fk_customer_match_keys_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        key text NOT NULL,
        PRIMARY KEY (customer_id, key)
      )`);
    await q.query(`CREATE INDEX ix_customer_match_keys_key ON customer_match_keys (key)`);

    // customer_identities keeps one owner per value (the concurrency guarantee). A value that
    // other customers presented too is kept here, so it is not lost and its holders can be
    // counted: past the per-value limit it stops linking.
    await q.query(`
      CREATE TABLE customer_identity_shares (
        type text NOT NULL,
        value text NOT NULL,
        customer_id uuid NOT NULL CONSTRAINT fk_customer_identity_shares_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        raw_value text,
        source text NOT NULL,
        first_seen timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (type, value, customer_id)
      )`);
    await q.query(`CREATE INDEX ix_customer_identity_shares_customer ON customer_identity_shares (customer_id)`);

    // Why the event's record landed on its customer: rule, fields, scores.
    await q.query(`ALTER TABLE customer_events ADD COLUMN resolution jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customer_events DROP COLUMN IF EXISTS resolution`);
    await q.query(`DROP TABLE IF EXISTS customer_identity_shares`);
    await q.query(`DROP TABLE IF EXISTS customer_match_keys`);
    await q.query(`DROP TABLE IF EXISTS customer_separations`);
    await q.query(`DROP TABLE IF EXISTS match_reviews`);
  }
}
