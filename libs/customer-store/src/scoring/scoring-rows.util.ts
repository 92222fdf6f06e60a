import type { QueryRunner } from 'typeorm';
import type { AttributeMap } from '../customer-store.types.js';
import { attributeValues } from '../attribute-merge.util.js';
import type { InactivityFact, RuleCounter, ScoringCustomerState } from './rules-model.evaluator.js';
import type { InactivityRule } from './scoring.types.js';

/** A customer row as scoring reads it, locked. */
export interface LockedCustomerRow {
  id: string;
  score: number;
  priority: string | null;
  stage: string;
  tags: string[];
  attributes: AttributeMap;
  owner_id: string | null;
  first_channel: string | null;
  created_at: Date;
  last_interaction_at: Date | null;
  score_updated_at: Date | null;
  merged_into: string | null;
  erased_at: Date | null;
}

export const LOCKED_COLUMNS = `id, score, priority, stage, tags, attributes, owner_id, first_channel, created_at, last_interaction_at,
       score_updated_at, merged_into, erased_at`;

/**
 * A customer was merged away between finding its survivor and locking it. Carries
 * serialization_failure's SQLSTATE so that inTransaction runs the whole transaction again.
 */
export class ScoringRetry extends Error {
  readonly code = '40001';
  constructor(message: string) {
    super(message);
    this.name = 'ScoringRetry';
  }
}

/** The live survivor of each id, following merged_into (ids that are no customer are left out). */
export async function survivorsOf(q: QueryRunner, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: { start: string; id: string }[] = await q.query(
    `WITH RECURSIVE chain(start, id, merged_into, depth) AS (
       SELECT c.id, c.id, c.merged_into, 0 FROM customers c WHERE c.id = ANY($1::uuid[])
       UNION ALL
       SELECT ch.start, c.id, c.merged_into, ch.depth + 1 FROM chain ch JOIN customers c ON c.id = ch.merged_into WHERE ch.depth < 16
     )
     SELECT DISTINCT ON (start) start, id FROM chain ORDER BY start, depth DESC`,
    [ids],
  );
  return new Map(rows.map((r) => [r.start, r.id]));
}

/**
 * Row-locks customers in ascending id order (the order every store writer uses) and returns
 * the live ones. A customer merged away meanwhile makes the transaction start again.
 */
export async function lockCustomers(q: QueryRunner, ids: string[]): Promise<Map<string, LockedCustomerRow>> {
  if (ids.length === 0) return new Map();
  const rows: LockedCustomerRow[] = await q.query(`SELECT ${LOCKED_COLUMNS} FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [[...new Set(ids)]]);
  const live = new Map<string, LockedCustomerRow>();
  for (const r of rows) {
    if (r.merged_into) throw new ScoringRetry(`customer ${r.id} was merged while being scored`);
    if (!r.erased_at) live.set(r.id, r);
  }
  return live;
}

export function scoringCustomer(r: LockedCustomerRow): ScoringCustomerState {
  const attributes = attributeValues(r.attributes);
  return {
    id: r.id,
    score: r.score,
    stage: r.stage,
    priority: r.priority,
    tags: r.tags ?? [],
    ownerId: r.owner_id,
    firstChannel: r.first_channel,
    createdAt: r.created_at.toISOString(),
    lastInteractionAt: r.last_interaction_at ? r.last_interaction_at.toISOString() : null,
    attributes,
    scoreUpdatedAt: r.score_updated_at ? r.score_updated_at.toISOString() : null,
  };
}

export interface ScoringFacts {
  /** Events already written under these idempotency keys: key → payload. */
  replays: Map<string, Record<string, unknown> | null>;
  /** customer → rule → counter, merged-away customers' counters included. */
  counters: Map<string, Map<string, RuleCounter>>;
  /** customer → one fact per inactivity rule, in order. */
  inactivity: Map<string, InactivityFact[]>;
}

/**
 * In one statement, after the locks (so it sees every write committed before them): the
 * replays among `keys`, the rule counters of the customers and of those merged into them,
 * and for each inactivity rule the latest activity and `since` events.
 */
export async function loadScoringFacts(q: QueryRunner, ids: string[], keys: string[], ruleIds: string[], inactivity: InactivityRule[]): Promise<ScoringFacts> {
  const facts: ScoringFacts = { replays: new Map(), counters: new Map(), inactivity: new Map() };
  if (ids.length === 0) return facts;
  const rows: {
    kind: 'replay' | 'counter' | 'idle';
    customer_id: string;
    key: string | null;
    payload: Record<string, unknown> | null;
    times: number | null;
    spell_at: Date | null;
    spell_times: number | null;
    ord: number | null;
    last_activity: Date | null;
    last_since: Date | null;
  }[] = await q.query(
    `WITH ids AS (SELECT unnest($1::uuid[]) AS id),
     owners AS (
       SELECT id, id AS survivor FROM ids
       UNION ALL SELECT c.id, c.merged_into FROM customers c WHERE c.merged_into IN (SELECT id FROM ids)
     ), rules AS (
       SELECT * FROM jsonb_to_recordset($4::jsonb) AS r(ord int, activity text[], since text[])
     )
     SELECT 'replay' AS kind, e.customer_id, e.idempotency_key AS key, e.payload, NULL::int AS times, NULL::timestamptz AS spell_at,
            NULL::int AS spell_times, NULL::int AS ord, NULL::timestamptz AS last_activity, NULL::timestamptz AS last_since
       FROM customer_events e WHERE e.idempotency_key = ANY($2::text[])
     UNION ALL
     SELECT 'counter', o.survivor, s.rule, NULL, s.times, s.spell_at, s.spell_times, NULL, NULL, NULL
       FROM owners o JOIN customer_score_rules s ON s.customer_id = o.id WHERE s.rule = ANY($3::text[])
     UNION ALL
     SELECT 'idle', ids.id, NULL, NULL, NULL, NULL, NULL, r.ord,
            (SELECT max(e.occurred_at) FROM customer_events e WHERE e.customer_id = ids.id AND e.type = ANY(r.activity)),
            CASE WHEN cardinality(r.since) > 0
                 THEN (SELECT max(e.occurred_at) FROM customer_events e WHERE e.customer_id = ids.id AND e.type = ANY(r.since)) END
       FROM ids CROSS JOIN rules r`,
    [ids, keys, ruleIds, JSON.stringify(inactivity.map((r, ord) => ({ ord, activity: r.activity, since: r.since ?? [] })))],
  );
  for (const r of rows) {
    if (r.kind === 'replay') {
      facts.replays.set(r.key!, r.payload);
    } else if (r.kind === 'counter') {
      const byRule = facts.counters.get(r.customer_id) ?? new Map<string, RuleCounter>();
      const prev = byRule.get(r.key!);
      const spellAt = r.spell_at ? r.spell_at.toISOString() : null;
      const next: RuleCounter = { times: (prev?.times ?? 0) + r.times!, spellAt: prev?.spellAt ?? null, spellTimes: prev?.spellTimes ?? 0 };
      // The latest silence wins (a merged-away customer's may be older).
      if (spellAt && (!next.spellAt || spellAt > next.spellAt)) {
        next.spellAt = spellAt;
        next.spellTimes = r.spell_times ?? 0;
      }
      byRule.set(r.key!, next);
      facts.counters.set(r.customer_id, byRule);
    } else {
      const list = facts.inactivity.get(r.customer_id) ?? [];
      list[r.ord!] = { lastActivityAt: r.last_activity ? r.last_activity.toISOString() : null, lastSinceAt: r.last_since ? r.last_since.toISOString() : null };
      facts.inactivity.set(r.customer_id, list);
    }
  }
  return facts;
}

/** The counters rules and inactivity rules keep: those with a limit, and every inactivity rule. */
export function countedRuleIds(config: { rules?: { id: string; oncePerCustomer?: boolean; maxTimes?: number }[]; inactivity?: { id: string }[] }): string[] {
  return [
    ...(config.rules ?? []).filter((r) => r.oncePerCustomer || r.maxTimes !== undefined).map((r) => r.id),
    ...(config.inactivity ?? []).map((r) => r.id),
  ];
}
