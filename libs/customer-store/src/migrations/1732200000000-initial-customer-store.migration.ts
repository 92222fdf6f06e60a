import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer store's first schema. Shaped for the identity-resolution work that follows:
 * identities are rows of their own (every source identifier is kept, keyed by type and
 * normalized value), attributes carry their provenance, merges keep a snapshot so they
 * can be undone, and merged customers stay as tombstones pointing at the survivor.
 */
export class InitialCustomerStore1732200000000 implements MigrationInterface {
  name = 'InitialCustomerStore1732200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        normalized_name text NOT NULL,
        credit_code text,
        city text,
        industry text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_accounts_credit_code UNIQUE (credit_code)
      )`);
    await q.query(`CREATE INDEX ix_accounts_normalized_name ON accounts (normalized_name)`);

    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY,
        display_name text,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        score integer NOT NULL DEFAULT 0,
        stage text NOT NULL DEFAULT 'lead',
        owner_id text,
        tags text[] NOT NULL DEFAULT '{}',
        account_id uuid CONSTRAINT fk_customers_account REFERENCES accounts (id) ON DELETE SET NULL,
        merged_into uuid CONSTRAINT fk_customers_merged_into REFERENCES customers (id),
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // Keyset pagination over live customers, newest activity first.
    await q.query(`CREATE INDEX ix_customers_updated ON customers (updated_at DESC, id DESC) WHERE merged_into IS NULL AND erased_at IS NULL`);
    await q.query(`CREATE INDEX ix_customers_tags ON customers USING gin (tags)`);
    await q.query(`CREATE INDEX ix_customers_account ON customers (account_id) WHERE account_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_customers_owner ON customers (owner_id) WHERE owner_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL`);
    await q.query(`CREATE INDEX ix_customers_display_name ON customers (lower(display_name) text_pattern_ops)`);

    // The customer id is generated before the identity row that claims it, and the
    // customer row follows in the same transaction: the foreign key is checked at commit.
    await q.query(`
      CREATE TABLE customer_identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL CONSTRAINT fk_customer_identities_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        type text NOT NULL,
        value text NOT NULL,
        raw_value text,
        match_key text,
        source text NOT NULL,
        first_seen timestamptz NOT NULL DEFAULT now(),
        last_seen timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_customer_identities_type_value UNIQUE (type, value)
      )`);
    await q.query(`CREATE INDEX ix_customer_identities_customer ON customer_identities (customer_id)`);
    await q.query(`CREATE INDEX ix_customer_identities_match_key ON customer_identities (type, match_key) WHERE match_key IS NOT NULL`);

    await q.query(`
      CREATE TABLE customer_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id uuid NOT NULL CONSTRAINT fk_customer_events_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        payload jsonb,
        source text NOT NULL,
        flow_id text,
        flow_version integer,
        run_id text,
        node_id text,
        idempotency_key text NOT NULL,
        created boolean NOT NULL DEFAULT false,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_customer_events_idempotency_key UNIQUE (idempotency_key)
      )`);
    await q.query(`CREATE INDEX ix_customer_events_timeline ON customer_events (customer_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_customer_events_run ON customer_events (run_id) WHERE run_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE customer_merges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        target_id uuid NOT NULL CONSTRAINT fk_customer_merges_target REFERENCES customers (id),
        source_ids uuid[] NOT NULL,
        snapshot jsonb,
        reason jsonb NOT NULL DEFAULT '{}'::jsonb,
        actor text,
        created_at timestamptz NOT NULL DEFAULT now(),
        undone_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_customer_merges_target ON customer_merges (target_id)`);
    await q.query(`CREATE INDEX ix_customer_merges_sources ON customer_merges USING gin (source_ids)`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id, at DESC)`);
    await q.query(`CREATE INDEX ix_audit_log_at ON audit_log (at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP TABLE IF EXISTS customer_merges`);
    await q.query(`DROP TABLE IF EXISTS customer_events`);
    await q.query(`DROP TABLE IF EXISTS customer_identities`);
    await q.query(`DROP TABLE IF EXISTS customers`);
    await q.query(`DROP TABLE IF EXISTS accounts`);
  }
}
