import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Flows and their versions, runs with per-step checkpoints, connections, trigger cursors, concurrency slots. */
export class PlatformInitial1763800000000 implements MigrationInterface {
  name = 'PlatformInitial1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE flows (
        id text PRIMARY KEY,
        name text NOT NULL,
        latest_version int NOT NULL,
        published_version int NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz NULL
      )`);
    await q.query(`
      CREATE TABLE flow_versions (
        flow_id text NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        version int NOT NULL,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flow_id, version)
      )`);
    await q.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY,
        flow_id text NOT NULL,
        flow_version int NOT NULL,
        trigger_node text NOT NULL,
        trigger_kind text NOT NULL,
        dedupe_key text NOT NULL,
        job_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
        input jsonb NULL,
        error jsonb NULL,
        retries int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        pruned_at timestamptz NULL
      )`);
    // One run per delivery: the trigger's dedupe key (the vendor's event id) is unique per flow and trigger.
    await q.query(`CREATE UNIQUE INDEX runs_dedupe_uq ON runs (flow_id, trigger_node, dedupe_key)`);
    await q.query(`CREATE INDEX runs_flow_created_idx ON runs (flow_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX runs_created_idx ON runs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX runs_status_created_idx ON runs (status, created_at DESC, id DESC)`);
    // The recovery sweep only looks at unfinished runs.
    await q.query(`CREATE INDEX runs_unfinished_idx ON runs (updated_at) WHERE status IN ('queued','running')`);
    await q.query(`CREATE INDEX runs_finished_at_idx ON runs (finished_at) WHERE finished_at IS NOT NULL`);
    await q.query(`CREATE INDEX runs_finished_unpruned_idx ON runs (finished_at) WHERE pruned_at IS NULL AND finished_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE run_steps (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        node_id text NOT NULL,
        seq int NOT NULL DEFAULT 0,
        status text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        input jsonb NULL,
        output jsonb NULL,
        error jsonb NULL,
        started_at timestamptz NULL,
        finished_at timestamptz NULL,
        PRIMARY KEY (run_id, node_id)
      )`);
    await q.query(`
      CREATE TABLE connections (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        name text NOT NULL,
        secrets text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE trigger_state (
        flow_id text NOT NULL,
        node_id text NOT NULL,
        cursor jsonb NULL,
        last_polled_at timestamptz NULL,
        last_error jsonb NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flow_id, node_id)
      )`);
    await q.query(`
      CREATE TABLE flow_slots (
        flow_id text NOT NULL,
        slot int NOT NULL,
        run_id uuid NULL,
        lease_until timestamptz NULL,
        PRIMARY KEY (flow_id, slot)
      )`);
    await q.query(`
      CREATE TABLE system_state (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['system_state', 'flow_slots', 'trigger_state', 'connections', 'run_steps', 'runs', 'flow_versions', 'flows']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
