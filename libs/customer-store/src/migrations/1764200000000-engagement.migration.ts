import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Putting customers to work: owners and teams, assignments with their reasons, follow-up tasks,
 * saved segments with their members, and the customer columns scoring, segments and reports
 * read (priority, first channel, last interaction, when the owner and stage last changed).
 */
export class Engagement1764200000000 implements MigrationInterface {
  name = 'Engagement1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE customers
        ADD COLUMN priority text,
        ADD COLUMN first_channel text,
        ADD COLUMN last_interaction_at timestamptz,
        ADD COLUMN assigned_at timestamptz,
        ADD COLUMN stage_changed_at timestamptz,
        ADD COLUMN score_updated_at timestamptz`);
    // Reports group live customers by first channel and creation time; segments scan by last interaction.
    await q.query(`CREATE INDEX ix_customers_first_channel ON customers (first_channel, created_at) WHERE merged_into IS NULL AND erased_at IS NULL`);
    await q.query(`CREATE INDEX ix_customers_last_interaction ON customers (last_interaction_at) WHERE merged_into IS NULL AND erased_at IS NULL`);
    await q.query(`CREATE INDEX ix_customers_stage ON customers (stage) WHERE merged_into IS NULL AND erased_at IS NULL`);
    await q.query(`CREATE INDEX ix_customers_score ON customers (score DESC) WHERE merged_into IS NULL AND erased_at IS NULL`);
    // Revenue and funnel reports read events by type and time.
    await q.query(`CREATE INDEX ix_customer_events_type_time ON customer_events (type, occurred_at)`);

    await q.query(`
      CREATE TABLE owners (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text,
        phone text,
        wecom_userid text,
        active boolean NOT NULL DEFAULT true,
        away_until timestamptz,
        capacity integer CHECK (capacity IS NULL OR capacity >= 0),
        working_hours jsonb,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE teams (
        id text PRIMARY KEY,
        name text NOT NULL,
        lead_owner_id text CONSTRAINT fk_teams_lead REFERENCES owners (id) ON DELETE SET NULL,
        rr_position bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE team_members (
        team_id text NOT NULL CONSTRAINT fk_team_members_team REFERENCES teams (id) ON DELETE CASCADE,
        owner_id text NOT NULL CONSTRAINT fk_team_members_owner REFERENCES owners (id) ON DELETE CASCADE,
        position integer NOT NULL DEFAULT 0,
        PRIMARY KEY (team_id, owner_id)
      )`);
    await q.query(`CREATE INDEX ix_team_members_owner ON team_members (owner_id)`);

    await q.query(`
      CREATE TABLE assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL CONSTRAINT fk_assignments_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        owner_id text,
        team_id text,
        previous_owner_id text,
        strategy text NOT NULL,
        rule text,
        reason jsonb NOT NULL,
        run_id text,
        idempotency_key text NOT NULL CONSTRAINT uq_assignments_idempotency_key UNIQUE,
        assigned_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_assignments_customer ON assignments (customer_id, assigned_at DESC)`);
    await q.query(`CREATE INDEX ix_assignments_owner ON assignments (owner_id, assigned_at DESC)`);

    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL CONSTRAINT fk_tasks_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        owner_id text,
        title text NOT NULL,
        description text,
        due_at timestamptz,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        idempotency_key text NOT NULL CONSTRAINT uq_tasks_idempotency_key UNIQUE,
        flow_id text,
        run_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_tasks_owner_open ON tasks (owner_id, due_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX ix_tasks_customer ON tasks (customer_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE segments (
        id text PRIMARY KEY,
        name text NOT NULL,
        description text,
        definition jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        member_count integer NOT NULL DEFAULT 0,
        evaluated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE segment_members (
        segment_id text NOT NULL CONSTRAINT fk_segment_members_segment REFERENCES segments (id) ON DELETE CASCADE,
        customer_id uuid NOT NULL CONSTRAINT fk_segment_members_customer REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        entered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (segment_id, customer_id)
      )`);
    await q.query(`CREATE INDEX ix_segment_members_customer ON segment_members (customer_id)`);
    // Entries and exits, in order: the outbox that starts customer.segment-entered flows.
    await q.query(`
      CREATE TABLE segment_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        segment_id text NOT NULL CONSTRAINT fk_segment_changes_segment REFERENCES segments (id) ON DELETE CASCADE,
        customer_id uuid NOT NULL,
        change text NOT NULL CHECK (change IN ('entered', 'left')),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_segment_changes_segment ON segment_changes (segment_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['segment_changes', 'segment_members', 'segments', 'tasks', 'assignments', 'team_members', 'teams', 'owners']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`DROP INDEX IF EXISTS ix_customer_events_type_time`);
    await q.query(`
      ALTER TABLE customers
        DROP COLUMN priority, DROP COLUMN first_channel, DROP COLUMN last_interaction_at,
        DROP COLUMN assigned_at, DROP COLUMN stage_changed_at, DROP COLUMN score_updated_at`);
  }
}
