import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { compileNodeConfig, type Item, type Logger, type NodeRegistry } from '@tributary/engine';
import type { FlowService } from '../flows/flow.service.js';
import type { RunEnqueuer } from '../queue/run-enqueuer.js';
import { sql } from '../db/sql.js';

/** The node type whose runs this dispatcher starts. */
export const SEGMENT_TRIGGER_TYPE = 'customer.segment-entered';

export interface SegmentTriggerDispatcherDeps {
  ds: DataSource;
  flows: Pick<FlowService, 'publishedFlows'>;
  registry: NodeRegistry;
  enqueuer: Pick<RunEnqueuer, 'enqueue'>;
  log: Logger;
  /** Changes read per transaction (default 500). */
  batchSize?: number;
  /** Transactions per trigger in one dispatchOnce (default 20); the rest waits for the next call. */
  maxBatches?: number;
}

/** A customer.segment-entered node of a published flow. */
export interface SegmentTriggerRef {
  flowId: string;
  flowVersion: number;
  nodeId: string;
  segmentId: string;
  change: 'entered' | 'left' | 'both';
}

interface ChangeRow {
  id: string;
  segment_id: string;
  segment_name: string;
  customer_id: string;
  change: 'entered' | 'left';
  at: Date;
  live_id: string | null;
  display_name: string | null;
  stage: string | null;
  score: number | null;
  priority: string | null;
  owner_id: string | null;
  tags: string[] | null;
  first_channel: string | null;
  last_interaction_at: Date | null;
  erased_at: Date | null;
  identities: { type: string; value: string }[] | null;
}

/**
 * Starts the runs of customer.segment-entered triggers: for every published flow with one, it
 * reads segment_changes of the trigger's segment after a cursor kept in trigger_state (by flow
 * and node, so republishing keeps it) and stores one run per change, with the dedupe key
 * `segment:<segmentId>:<changeId>`, in the same transaction that moves the cursor: a crash
 * leaves both or neither, and a change is never run twice. The queue gets the runs after the
 * commit (a lost enqueue is redone by the recovery sweep, the run being `queued` in Postgres).
 * Several workers may dispatch at once: each trigger's cursor row is locked (SKIP LOCKED), so
 * one worker handles a trigger at a time and the others move on to the next.
 *
 * Change ids only grow, and the segment evaluator writes changes one transaction at a time,
 * so "after the last id handled" never skips a change that committed late. A trigger seen for
 * the first time starts after the last change recorded before its flow was published.
 */
export class SegmentTriggerDispatcher {
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly warned = new Set<string>();

  constructor(private readonly deps: SegmentTriggerDispatcherDeps) {
    this.batchSize = deps.batchSize ?? 500;
    this.maxBatches = deps.maxBatches ?? 20;
  }

  /** One pass over every published segment trigger; returns the runs started. */
  async dispatchOnce(): Promise<{ triggers: number; runs: number; more: boolean }> {
    const triggers = await this.triggers();
    let runs = 0;
    let more = false;
    for (const t of triggers) {
      for (let i = 0; i < this.maxBatches; i++) {
        const r = await this.dispatchBatch(t);
        runs += r.runs;
        if (!r.more) break;
        if (i === this.maxBatches - 1) more = true;
      }
    }
    return { triggers: triggers.length, runs, more };
  }

  /** The customer.segment-entered nodes of published flows, with their config. */
  async triggers(): Promise<SegmentTriggerRef[]> {
    const out: SegmentTriggerRef[] = [];
    for (const flow of await this.deps.flows.publishedFlows()) {
      for (const node of flow.document.nodes) {
        if (node.type !== SEGMENT_TRIGGER_TYPE || node.disabled) continue;
        const def = this.deps.registry.get(node.type, node.version);
        if (!def) continue;
        try {
          const config = compileNodeConfig(def, node.config) as { segmentId: string; change: SegmentTriggerRef['change'] };
          out.push({ flowId: flow.id, flowVersion: flow.version, nodeId: node.id, segmentId: config.segmentId, change: config.change ?? 'entered' });
        } catch (err) {
          const key = `${flow.id}/${node.id}@${flow.version}`;
          if (!this.warned.has(key)) {
            this.warned.add(key);
            this.deps.log.warn('segment trigger config is invalid; skipped', { flowId: flow.id, nodeId: node.id, error: err instanceof Error ? err.message : String(err) });
          }
        }
      }
    }
    return out;
  }

  /** One transaction: lock the cursor, read changes after it, store their runs, move it. */
  async dispatchBatch(t: SegmentTriggerRef): Promise<{ runs: number; more: boolean }> {
    const accepted = await this.deps.ds.transaction(async (m) => {
      let cursor: string | undefined = (
        await sql<{ change_id: string | null }>(m, `SELECT cursor ->> 'changeId' AS change_id FROM trigger_state WHERE flow_id = $1 AND node_id = $2 FOR UPDATE SKIP LOCKED`, [
          t.flowId,
          t.nodeId,
        ])
      )[0]?.change_id ?? undefined;
      if (cursor === undefined) {
        // First sight of this trigger (or another worker holds it: then the insert finds its row and we skip).
        const created = await sql<{ change_id: string }>(
          m,
          `INSERT INTO trigger_state (flow_id, node_id, cursor, last_polled_at)
           SELECT $1, $2, jsonb_build_object('changeId', COALESCE(
                    (SELECT max(id) FROM segment_changes WHERE at < COALESCE((SELECT updated_at FROM flows WHERE id = $1), now())), 0)::text), now()
           ON CONFLICT (flow_id, node_id) DO NOTHING
           RETURNING cursor ->> 'changeId' AS change_id`,
          [t.flowId, t.nodeId],
        );
        cursor = created[0]?.change_id;
        if (cursor === undefined) return null;
      }
      if (!/^\d{1,19}$/.test(cursor)) cursor = '0';
      const rows = await sql<ChangeRow>(
        m,
        `SELECT sc.id::text AS id, sc.segment_id, s.name AS segment_name, sc.customer_id, sc.change, sc.at, live.id AS live_id,
                c.display_name, c.stage, c.score, c.priority, c.owner_id, c.tags, c.first_channel, c.last_interaction_at, c.erased_at,
                (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value)
                          ORDER BY CASE i.type WHEN 'phone' THEN 0 WHEN 'email' THEN 1 ELSE 2 END, i.type, i.first_seen), '[]'::json)
                   FROM customer_identities i WHERE i.customer_id = c.id) AS identities
           FROM segment_changes sc
           JOIN segments s ON s.id = sc.segment_id
           LEFT JOIN LATERAL (
             WITH RECURSIVE chain (id, merged_into, depth) AS (
               SELECT k.id, k.merged_into, 0 FROM customers k WHERE k.id = sc.customer_id
               UNION ALL
               SELECT k.id, k.merged_into, chain.depth + 1 FROM customers k JOIN chain ON k.id = chain.merged_into WHERE chain.depth < 20
             )
             SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1
           ) live ON true
           LEFT JOIN customers c ON c.id = COALESCE(live.id, sc.customer_id)
          WHERE sc.segment_id = $1 AND sc.id > $2::bigint
          ORDER BY sc.id
          LIMIT $3`,
        [t.segmentId, cursor, this.batchSize],
      );
      const wanted = rows.filter((r) => (t.change === 'both' || r.change === t.change) && !skipped(r));
      let inserted: { id: string }[] = [];
      if (wanted.length) {
        const ids = wanted.map(() => randomUUID());
        inserted = await sql<{ id: string }>(
          m,
          `INSERT INTO runs (id, flow_id, flow_version, trigger_node, trigger_kind, dedupe_key, job_id, status, input)
           SELECT v.id, $1, $2, $3, 'segment', v.dedupe_key, v.id::text, 'queued', v.input
             FROM unnest($4::uuid[], $5::text[], $6::jsonb[]) AS v(id, dedupe_key, input)
           ON CONFLICT (flow_id, trigger_node, dedupe_key) DO NOTHING
           RETURNING id`,
          [t.flowId, t.flowVersion, t.nodeId, ids, wanted.map((r) => `segment:${r.segment_id}:${r.id}`), wanted.map((r) => JSON.stringify([toItem(r)]))],
        );
      }
      const last = rows[rows.length - 1];
      await sql(
        m,
        `UPDATE trigger_state SET cursor = $3::jsonb, last_polled_at = now(), last_error = NULL, updated_at = now() WHERE flow_id = $1 AND node_id = $2`,
        [t.flowId, t.nodeId, JSON.stringify({ changeId: last ? last.id : cursor })],
      );
      return { runs: inserted.map((r) => r.id), more: rows.length >= this.batchSize };
    });
    if (!accepted) return { runs: 0, more: false };
    for (const id of accepted.runs) await this.deps.enqueuer.enqueue(id, id);
    if (accepted.runs.length) this.deps.log.info('segment trigger started runs', { flowId: t.flowId, nodeId: t.nodeId, segmentId: t.segmentId, runs: accepted.runs.length });
    return { runs: accepted.runs.length, more: accepted.more };
  }
}

/**
 * Changes that start no run: an erased customer's (nothing may be done with that person any
 * more), and the exit of a record merged into another customer (the person did not leave; the
 * survivor's own membership says whether they are in).
 */
function skipped(r: ChangeRow): boolean {
  if (r.erased_at) return true;
  return r.change === 'left' && r.live_id !== null && r.live_id !== r.customer_id;
}

/** The item a run starts with: the change and the customer as it is now. */
function toItem(r: ChangeRow): Item {
  const identities = r.identities ?? [];
  const first = (type: string) => identities.find((i) => i.type === type)?.value ?? null;
  return {
    customerId: r.live_id ?? r.customer_id,
    ...(r.live_id && r.live_id !== r.customer_id ? { mergedFrom: r.customer_id } : {}),
    segmentId: r.segment_id,
    segmentName: r.segment_name,
    change: r.change,
    at: new Date(r.at).toISOString(),
    changeId: r.id,
    displayName: r.display_name,
    phone: first('phone'),
    email: first('email'),
    stage: r.stage,
    score: r.score,
    priority: r.priority,
    ownerId: r.owner_id,
    tags: r.tags ?? [],
    firstChannel: r.first_channel,
    lastInteractionAt: r.last_interaction_at ? new Date(r.last_interaction_at).toISOString() : null,
    identities,
  };
}
