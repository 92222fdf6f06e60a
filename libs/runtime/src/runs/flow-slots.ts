import type { DataSource } from 'typeorm';
import { sql } from '../db/sql.js';

/**
 * Per-flow concurrency limit shared by all workers: a run holds one of the flow's
 * N slot rows while it executes. Leases expire, so a dead worker's slot frees
 * itself; a live worker renews its lease while the run is going.
 */
export class FlowSlots {
  constructor(private readonly ds: DataSource, private readonly leaseMs: number) {}

  async acquire(flowId: string, runId: string, limit: number): Promise<boolean> {
    await sql(this.ds,
      `INSERT INTO flow_slots (flow_id, slot) SELECT $1, g FROM generate_series(0, $2 - 1) g ON CONFLICT DO NOTHING`,
      [flowId, limit],
    );
    const rows = await sql(this.ds,
      `UPDATE flow_slots SET run_id = $2, lease_until = now() + ($4 || ' milliseconds')::interval
       WHERE (flow_id, slot) = (
         SELECT flow_id, slot FROM flow_slots
         WHERE flow_id = $1 AND slot < $3 AND (run_id IS NULL OR run_id = $2 OR lease_until < now())
         ORDER BY (run_id = $2) DESC NULLS LAST, slot LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING slot`,
      [flowId, runId, limit, String(this.leaseMs)],
    );
    return rows.length > 0;
  }

  async renew(flowId: string, runId: string): Promise<void> {
    await sql(this.ds,
      `UPDATE flow_slots SET lease_until = now() + ($3 || ' milliseconds')::interval WHERE flow_id = $1 AND run_id = $2`,
      [flowId, runId, String(this.leaseMs)],
    );
  }

  async release(flowId: string, runId: string): Promise<void> {
    await sql(this.ds, `UPDATE flow_slots SET run_id = NULL, lease_until = NULL WHERE flow_id = $1 AND run_id = $2`, [flowId, runId]);
  }
}
