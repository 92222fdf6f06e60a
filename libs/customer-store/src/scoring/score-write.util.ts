import type { Provenance } from '@tributary/engine';
import type { QueryRunner } from 'typeorm';
import type { Evaluation } from './rules-model.evaluator.js';
import { SCORE_EVENT_TYPE, STAGE_EVENT_TYPE } from './scoring.defaults.js';
import { ScoringRetry } from './scoring-rows.util.js';

/** One score change: its event and the customer's state after it. */
export interface ScoreChange {
  customerId: string;
  idempotencyKey: string;
  evaluation: Evaluation;
  eventType?: string;
}

/** The score_changed payload: the explanation, and enough to answer a replay exactly. */
export function scorePayload(e: Evaluation, eventType?: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    model: 'rules',
    before: e.before.score,
    after: e.after.score,
    delta: e.delta,
    rules: e.rules,
    priority: e.after.priority,
    stage: e.after.stage,
    tags: e.after.tags,
    crossed: e.crossed,
  };
  if (eventType) payload.eventType = eventType;
  const changes: Record<string, unknown> = {};
  if (e.after.priority !== e.before.priority) changes.priority = { from: e.before.priority, to: e.after.priority };
  if (e.after.stage !== e.before.stage) changes.stage = { from: e.before.stage, to: e.after.stage };
  const added = e.after.tags.filter((t) => !e.before.tags.includes(t));
  const removed = e.before.tags.filter((t) => !e.after.tags.includes(t));
  if (added.length) changes.tagsAdded = added;
  if (removed.length) changes.tagsRemoved = removed;
  if (Object.keys(changes).length) payload.changes = changes;
  return payload;
}

/**
 * Writes score changes in one statement: the score_changed events (in the order given), each customer's final state, and the rule counters.
 * The caller holds the customers' row locks and has checked the keys for replays, so an
 * event that is already there means the world moved under us: the transaction starts again.
 * `counted` names the rules whose counters are kept.
 */
export async function writeScoreChanges(q: QueryRunner, changes: ScoreChange[], counted: Set<string>, provenance: Provenance, now: Date): Promise<void> {
  if (changes.length === 0) return;
  // Inserted in this order: ids tell apart events of one instant on the timeline. A stage
  // moved by a threshold also gets its own stage_changed event (the funnel report reads those).
  const events = changes.flatMap((c) => {
    const e = c.evaluation;
    const score = { customer_id: c.customerId, type: SCORE_EVENT_TYPE, payload: scorePayload(e, c.eventType), idempotency_key: c.idempotencyKey };
    if (!e.stageChanged) return [score];
    const payload = { from: e.before.stage, to: e.after.stage, threshold: e.stageBy ?? null, score: e.after.score, reason: `score ${e.before.score} → ${e.after.score}${e.stageBy ? `, threshold ${e.stageBy}` : ''}` };
    return [score, { customer_id: c.customerId, type: STAGE_EVENT_TYPE, payload, idempotency_key: `${c.idempotencyKey}:stage` }];
  });
  const finals = new Map<string, { id: string; score: number; priority: string | null; stage: string; tags: string[]; stage_changed: boolean; score_changed: boolean }>();
  const counters = new Map<string, { customer_id: string; rule: string; times: number; spell_at: string | null; spell_times: number | null }>();
  for (const c of changes) {
    const e = c.evaluation;
    const prev = finals.get(c.customerId);
    finals.set(c.customerId, {
      id: c.customerId,
      score: e.after.score,
      priority: e.after.priority,
      stage: e.after.stage,
      tags: e.after.tags,
      stage_changed: (prev?.stage_changed ?? false) || e.stageChanged,
      score_changed: (prev?.score_changed ?? false) || e.scoreChanged,
    });
    for (const [rule, inc] of e.increments) {
      if (!counted.has(rule)) continue;
      const key = `${c.customerId}\u0000${rule}`;
      const had = counters.get(key);
      counters.set(key, {
        customer_id: c.customerId,
        rule,
        times: (had?.times ?? 0) + inc.times,
        spell_at: inc.spellAt ?? had?.spell_at ?? null,
        spell_times: inc.spellTimes ?? had?.spell_times ?? null,
      });
    }
  }
  const [{ n }]: { n: number }[] = await q.query(
    `WITH ev AS (
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key)
       SELECT r.customer_id, r.type, $4::timestamptz, r.payload, $5, $6, $7, $8, $9, r.idempotency_key
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, type text, payload jsonb, idempotency_key text)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING 1
     ), upd AS (
       UPDATE customers c
          SET score = r.score, priority = r.priority, stage = r.stage, tags = r.tags,
              stage_changed_at = CASE WHEN r.stage_changed THEN $4::timestamptz ELSE c.stage_changed_at END,
              score_updated_at = CASE WHEN r.score_changed THEN $4::timestamptz ELSE c.score_updated_at END,
              updated_at = $4::timestamptz, version = c.version + 1
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, score integer, priority text, stage text, tags text[], stage_changed boolean, score_changed boolean)
        WHERE c.id = r.id
     ), ctr AS (
       INSERT INTO customer_score_rules AS s (customer_id, rule, times, spell_at, spell_times, last_applied_at)
       SELECT r.customer_id, r.rule, r.times, r.spell_at, COALESCE(r.spell_times, 0), $4::timestamptz
         FROM jsonb_to_recordset($3::jsonb) AS r(customer_id uuid, rule text, times integer, spell_at timestamptz, spell_times integer)
       ON CONFLICT (customer_id, rule) DO UPDATE
          SET times = s.times + excluded.times,
              spell_at = COALESCE(excluded.spell_at, s.spell_at),
              spell_times = CASE WHEN excluded.spell_at IS NULL THEN s.spell_times ELSE excluded.spell_times END,
              last_applied_at = excluded.last_applied_at
     )
     SELECT count(*)::int AS n FROM ev`,
    [
      JSON.stringify(events),
      JSON.stringify([...finals.values()]),
      JSON.stringify([...counters.values()]),
      now.toISOString(),
      provenance.source,
      provenance.flowId,
      provenance.flowVersion,
      provenance.runId,
      provenance.nodeId,
    ],
  );
  if (n !== events.length) throw new ScoringRetry('a score_changed event was written concurrently');
}
