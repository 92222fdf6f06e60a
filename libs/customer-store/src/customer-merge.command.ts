import type { QueryRunner } from 'typeorm';
import { displayNameOf, survives } from './attribute-merge.util.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { AttributeMap, MergeOptions, MergeResult, UndoMergeResult } from './customer-store.types.js';
import { identityKey } from './identity-priority.util.js';
import type { MatchConfig } from './matching/index.js';
import { customerFields, matchKeysOf } from './record-fields.util.js';
import { lockNames, tryLockNames } from './util/lock-key.util.js';
import { isUuid, uuidv7 } from './util/uuid-v7.util.js';

// A merge moves every row of its customers; beyond this, it is a data-cleaning job.
const MAX_MERGE = 50;

interface CustomerRowFull {
  id: string;
  display_name: string | null;
  attributes: AttributeMap;
  score: number;
  stage: string;
  owner_id: string | null;
  tags: string[];
  account_id: string | null;
  merged_into: string | null;
  erased_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

interface IdentityRowFull {
  id: string;
  customer_id: string;
  type: string;
  value: string;
  raw_value: string | null;
  match_key: string | null;
  source: string;
  first_seen: string;
  last_seen: string;
}

interface ShareRow {
  type: string;
  value: string;
  customer_id: string;
  raw_value: string | null;
  source: string;
  first_seen: string;
}

/** The target's fields a merge may change; undo restores each one nobody changed since. */
type TargetFields = Pick<CustomerRowFull, 'display_name' | 'attributes' | 'score' | 'stage' | 'owner_id' | 'tags' | 'account_id' | 'updated_at' | 'version'>;

/** The customers' engagement columns (owner, channel, last contact…), which follow the surviving values. */
interface EngagementFields {
  priority: string | null;
  first_channel: string | null;
  last_interaction_at: string | null;
  assigned_at: string | null;
  stage_changed_at: string | null;
  score_updated_at: string | null;
}
const ENGAGEMENT_COLUMNS = ['priority', 'first_channel', 'last_interaction_at', 'assigned_at', 'stage_changed_at', 'score_updated_at'] as const;

/** Everything undo needs to put the customers back exactly. Nulled by erasure. */
export interface MergeSnapshot {
  version: 1;
  customers: CustomerRowFull[];
  identities: IdentityRowFull[];
  /** Timeline event ids per source customer: exactly these move back. */
  events: Record<string, string[]>;
  shares: ShareRow[];
  matchKeys: { customer_id: string; key: string }[];
  /** The target right after the merge. */
  after: TargetFields;
  /** Task and assignment ids per source customer: exactly these move back (absent in merges made before they moved). */
  tasks?: Record<string, string[]>;
  assignments?: Record<string, string[]>;
  /** The target's engagement columns before and right after the merge. */
  engagement?: { before: EngagementFields; after: EngagementFields };
}

/**
 * Merges customers into a target in the caller's transaction. Locks like an upsert
 * (advisory locks on every identity and blocking key of the customers, ascending, then
 * the rows in ascending id order), so a merge and concurrent upserts never deadlock. Inside a
 * transaction that already holds row locks (an upsert's bridge merge), `locking: 'try'` takes
 * the advisory locks without waiting and fails with identity_race naming the ones it missed.
 * Identities, events and shares move to the target, attributes are folded under each
 * value's survivorship policy (latest by default), tags are united; the sources stay
 * as tombstones with merged_into set. The snapshot allows undoMerge to restore exactly.
 */
export async function runMerge(
  q: QueryRunner,
  targetIdIn: string,
  otherIdsIn: string[],
  options: MergeOptions,
  now: Date,
  config: MatchConfig,
  locking: MergeLocking = 'wait',
): Promise<MergeResult> {
  if (!isUuid(targetIdIn) || !Array.isArray(otherIdsIn) || otherIdsIn.some((id) => !isUuid(id))) {
    throw new CustomerStoreError('invalid_input', 'targetId and otherIds must be customer ids');
  }
  if (typeof options?.actor !== 'string' || !options.actor) throw new CustomerStoreError('invalid_input', 'actor is required');
  if (otherIdsIn.length === 0 || otherIdsIn.length > MAX_MERGE) throw new CustomerStoreError('invalid_input', `otherIds must hold 1 to ${MAX_MERGE} customer ids`);

  // Merged ids given are followed to their survivor: merging a tombstone means its survivor.
  const liveOf = await followMerges(q, [targetIdIn, ...otherIdsIn]);
  const targetId = liveOf.get(targetIdIn)!;
  const sourceIds = [...new Set(otherIdsIn.map((id) => liveOf.get(id)!))].filter((id) => id !== targetId).sort();
  if (sourceIds.length === 0) throw new CustomerStoreError('invalid_input', 'nothing to merge: every customer given is already the target');
  const all = [targetId, ...sourceIds];

  await lockCustomers(q, all, [], locking);
  const customers: CustomerRowFull[] = await q.query(
    `SELECT id, display_name, attributes, score, stage, owner_id, tags, account_id, merged_into, erased_at, created_at, updated_at, version
       FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
    [all],
  );
  if (customers.length !== all.length || customers.some((c) => c.merged_into || c.erased_at)) {
    // Merged or erased between our read and our lock: start again (locks taken out of order would deadlock).
    throw new CustomerStoreError('identity_race', 'a customer changed while the merge was locking it');
  }
  const [rest]: { identities: IdentityRowFull[] | null; events: { c: string; ids: string[] }[] | null; shares: ShareRow[] | null; keys: { customer_id: string; key: string }[] | null }[] =
    await q.query(
      `SELECT (SELECT json_agg(i ORDER BY i.id) FROM (SELECT id, customer_id, type, value, raw_value, match_key, source, first_seen, last_seen
                 FROM customer_identities WHERE customer_id = ANY($1::uuid[])) i) AS identities,
              (SELECT json_agg(json_build_object('c', customer_id, 'ids', ids)) FROM (SELECT customer_id, array_agg(id::text ORDER BY id) AS ids
                 FROM customer_events WHERE customer_id = ANY($2::uuid[]) GROUP BY customer_id) e) AS events,
              (SELECT json_agg(s) FROM (SELECT type, value, customer_id, raw_value, source, first_seen FROM customer_identity_shares
                 WHERE customer_id = ANY($1::uuid[])) s) AS shares,
              (SELECT json_agg(k) FROM (SELECT customer_id, key FROM customer_match_keys WHERE customer_id = ANY($1::uuid[])) k) AS keys`,
      [all, sourceIds],
    );
  const [moved]: { tasks: { c: string; ids: string[] }[] | null; assignments: { c: string; ids: string[] }[] | null; engagement: (EngagementFields & { id: string })[] }[] = await q.query(
    `SELECT (SELECT json_agg(json_build_object('c', customer_id, 'ids', ids)) FROM (SELECT customer_id, array_agg(id::text ORDER BY id) AS ids
               FROM tasks WHERE customer_id = ANY($2::uuid[]) GROUP BY customer_id) t) AS tasks,
            (SELECT json_agg(json_build_object('c', customer_id, 'ids', ids)) FROM (SELECT customer_id, array_agg(id::text ORDER BY id) AS ids
               FROM assignments WHERE customer_id = ANY($2::uuid[]) GROUP BY customer_id) a) AS assignments,
            (SELECT json_agg(e) FROM (SELECT id, ${ENGAGEMENT_COLUMNS.join(', ')} FROM customers WHERE id = ANY($1::uuid[])) e) AS engagement`,
    [all, sourceIds],
  );
  const byId = new Map(customers.map((c) => [c.id, c]));
  const target = byId.get(targetId)!;
  const sources = sourceIds.map((id) => byId.get(id)!);
  const engagementOf = new Map((moved?.engagement ?? []).map((e) => [e.id, e]));

  // The surviving profile: the target's values, challenged by each source's under the policy recorded on the value.
  const attributes: AttributeMap = { ...target.attributes };
  for (const s of sources) {
    for (const [field, entry] of Object.entries(s.attributes ?? {})) {
      const held = attributes[field];
      if (!held || survives(entry, held, undefined, field)) attributes[field] = entry;
    }
  }
  const tags = [...new Set([...target.tags, ...sources.flatMap((s) => s.tags)])];
  const after: TargetFields = {
    display_name: displayNameOf(attributes) ?? target.display_name ?? sources.find((s) => s.display_name)?.display_name ?? null,
    attributes,
    score: Math.max(target.score, ...sources.map((s) => s.score)),
    stage: target.stage,
    owner_id: target.owner_id ?? sources.find((s) => s.owner_id)?.owner_id ?? null,
    tags,
    account_id: target.account_id ?? sources.find((s) => s.account_id)?.account_id ?? null,
    updated_at: now.toISOString(),
    version: target.version + 1,
  };
  const engagementBefore = pickEngagement(engagementOf.get(targetId));
  const engagementAfter = mergedEngagement(
    customers.map((c) => ({ ...pickEngagement(engagementOf.get(c.id)), id: c.id, created_at: c.created_at, owner_id: c.owner_id, score: c.score })),
    targetId,
    after,
  );
  const snapshot: MergeSnapshot = {
    version: 1,
    customers,
    identities: rest?.identities ?? [],
    events: Object.fromEntries((rest?.events ?? []).map((e) => [e.c, e.ids])),
    shares: rest?.shares ?? [],
    matchKeys: rest?.keys ?? [],
    after,
    tasks: Object.fromEntries((moved?.tasks ?? []).map((t) => [t.c, t.ids])),
    assignments: Object.fromEntries((moved?.assignments ?? []).map((a) => [a.c, a.ids])),
    engagement: { before: engagementBefore, after: engagementAfter },
  };
  const mergeId = uuidv7(now.getTime());
  const reason = typeof options.reason === 'string' ? { text: options.reason } : (options.reason ?? {});
  const keys = matchKeysOf(customerFields(attributes), config);

  // Review items name the customers as they were: one merged earlier into a customer of this
  // merge ends up here too (a into c, later b into c: the a–b item has nothing left to decide).
  const absorbed = [...all, ...(await mergedInto(q, all))];

  await q.query(
    `WITH ids AS (
       UPDATE customer_identities SET customer_id = $1 WHERE customer_id = ANY($2::uuid[])
     ), events AS (
       UPDATE customer_events SET customer_id = $1 WHERE customer_id = ANY($2::uuid[])
     ), moved_tasks AS (
       UPDATE tasks SET customer_id = $1 WHERE customer_id = ANY($2::uuid[])
     ), moved_assignments AS (
       UPDATE assignments SET customer_id = $1 WHERE customer_id = ANY($2::uuid[])
     ), moved_shares AS (
       INSERT INTO customer_identity_shares (type, value, customer_id, raw_value, source, first_seen)
       SELECT type, value, $1, raw_value, source, first_seen FROM customer_identity_shares WHERE customer_id = ANY($2::uuid[])
       ON CONFLICT DO NOTHING
     ), dropped_shares AS (
       DELETE FROM customer_identity_shares WHERE customer_id = ANY($2::uuid[])
     ), dropped_keys AS (
       DELETE FROM customer_match_keys WHERE customer_id = ANY($2::uuid[]) OR (customer_id = $1 AND NOT (key = ANY($3::text[])))
     ), new_keys AS (
       INSERT INTO customer_match_keys (customer_id, key) SELECT $1, k FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING
     ), tombstones AS (
       UPDATE customers SET merged_into = $1, updated_at = $4::timestamptz, version = version + 1 WHERE id = ANY($2::uuid[])
     ), reviews AS (
       UPDATE match_reviews SET status = 'merged', decided_at = $4::timestamptz, decided_by = $5, merge_id = $6
        WHERE status = 'pending' AND customer_id = ANY($7::uuid[]) AND candidate_id = ANY($7::uuid[])
     )
     UPDATE customers SET display_name = $8, attributes = $9::jsonb, score = $10, owner_id = $11, tags = $12::text[], account_id = $13,
            updated_at = $4::timestamptz, version = $14
      WHERE id = $1`,
    [targetId, sourceIds, keys, after.updated_at, options.actor, mergeId, absorbed, after.display_name, JSON.stringify(attributes), after.score, after.owner_id, tags, after.account_id, after.version],
  );
  await setEngagement(q, targetId, engagementAfter);
  // Whoever a source was told apart from, the merged customer is told apart from too.
  await q.query(
    `INSERT INTO customer_separations (customer_a, customer_b, review_id, actor, created_at)
     SELECT LEAST($1::uuid, o.other), GREATEST($1::uuid, o.other), o.review_id, o.actor, o.created_at
       FROM (SELECT CASE WHEN customer_a = ANY($2::uuid[]) THEN customer_b ELSE customer_a END AS other, review_id, actor, created_at
               FROM customer_separations WHERE customer_a = ANY($2::uuid[]) OR customer_b = ANY($2::uuid[])) o
      WHERE NOT (o.other = ANY($3::uuid[]))
     ON CONFLICT DO NOTHING`,
    [targetId, sourceIds, all],
  );
  // A value the target shared is now its own (a source owned it): no longer a share.
  await q.query(
    `DELETE FROM customer_identity_shares s USING customer_identities i
      WHERE s.customer_id = $1 AND i.customer_id = $1 AND i.type = s.type AND i.value = s.value`,
    [targetId],
  );
  await q.query(
    `INSERT INTO customer_merges (id, target_id, source_ids, snapshot, reason, actor, created_at) VALUES ($1, $2, $3::uuid[], $4::jsonb, $5::jsonb, $6, $7::timestamptz)`,
    [mergeId, targetId, sourceIds, JSON.stringify(snapshot), JSON.stringify(reason), options.actor, after.updated_at],
  );
  await audit(q, options.actor, 'customer.merged', targetId, { mergeId, targetId, sourceIds, reason });
  return { mergeId, targetId, sourceIds };
}

/**
 * Undoes a merge in the caller's transaction: the sources come back exactly as they were
 * (rows, identities, events, shares, blocking keys); the target gets back each field no one
 * changed since the merge. Events and identities that arrived after the merge stay with the
 * target. Refused when the merge was undone, erased, or its target merged away since.
 */
export async function runUndoMerge(
  q: QueryRunner,
  mergeId: string,
  actor: string,
  now: Date,
  config: MatchConfig,
  options: { separate?: boolean } = {},
): Promise<UndoMergeResult> {
  if (!isUuid(mergeId)) throw new CustomerStoreError('not_found', `no merge ${mergeId}`);
  if (typeof actor !== 'string' || !actor) throw new CustomerStoreError('invalid_input', 'actor is required');
  const separate = options.separate ?? true;
  if (typeof separate !== 'boolean') throw new CustomerStoreError('invalid_input', 'separate must be true or false');
  const [merge]: { id: string; target_id: string; source_ids: string[]; snapshot: MergeSnapshot | null; undone_at: Date | null }[] = await q.query(
    `SELECT id, target_id, source_ids, snapshot, undone_at FROM customer_merges WHERE id = $1`,
    [mergeId],
  );
  if (!merge) throw new CustomerStoreError('not_found', `no merge ${mergeId}`);
  if (merge.undone_at) throw new CustomerStoreError('conflict', 'the merge was already undone');
  const snap = merge.snapshot;
  if (!snap) throw new CustomerStoreError('conflict', 'the merge cannot be undone: its customers were erased');
  const targetId = merge.target_id;
  const sourceIds = merge.source_ids;
  const all = [targetId, ...sourceIds];

  await lockCustomers(q, all, snap.identities.map((i) => identityKey(i.type, i.value)));
  const [m2]: { undone_at: Date | null }[] = await q.query(`SELECT undone_at FROM customer_merges WHERE id = $1 FOR UPDATE`, [mergeId]);
  if (m2?.undone_at) throw new CustomerStoreError('conflict', 'the merge was already undone');
  const current: CustomerRowFull[] = await q.query(
    `SELECT id, display_name, attributes, score, stage, owner_id, tags, account_id, merged_into, erased_at, created_at, updated_at, version
       FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
    [all],
  );
  const byId = new Map(current.map((c) => [c.id, c]));
  const target = byId.get(targetId);
  if (!target || target.merged_into || target.erased_at) {
    throw new CustomerStoreError('conflict', 'the merge target was merged or erased since: undo that first');
  }
  if (sourceIds.some((id) => byId.get(id)?.merged_into !== targetId)) {
    throw new CustomerStoreError('conflict', 'a merged customer was changed since the merge');
  }

  // The target: each field back to its value before the merge unless someone changed it since.
  const before = snap.customers.find((c) => c.id === targetId)!;
  const after = snap.after;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const attributes: AttributeMap = { ...target.attributes };
  for (const field of new Set([...Object.keys(after.attributes), ...Object.keys(target.attributes)])) {
    if (!same(target.attributes[field], after.attributes[field])) continue;
    if (before.attributes[field] === undefined) delete attributes[field];
    else attributes[field] = before.attributes[field]!;
  }
  const addedByMerge = new Set(after.tags.filter((t) => !before.tags.includes(t)));
  const tags = same(target.tags, after.tags) ? before.tags : target.tags.filter((t) => !addedByMerge.has(t));
  const untouched = target.version === after.version;
  const pick = <K extends keyof TargetFields>(k: K) => (same(target[k], after[k]) ? before[k] : target[k]);
  const restoredTarget = {
    display_name: pick('display_name'),
    attributes,
    score: pick('score'),
    stage: pick('stage'),
    owner_id: pick('owner_id'),
    tags,
    account_id: pick('account_id'),
    updated_at: untouched ? before.updated_at : now.toISOString(),
    version: untouched ? before.version : target.version + 1,
  };
  const sources = snap.customers.filter((c) => c.id !== targetId);
  const sourceIdentities = snap.identities.filter((i) => i.customer_id !== targetId);
  const eventMoves = Object.entries(snap.events).map(([customer_id, ids]) => ({ customer_id, ids }));
  const sourceKeys = snap.matchKeys.filter((k) => k.customer_id !== targetId);
  const targetKeys = untouched ? snap.matchKeys.filter((k) => k.customer_id === targetId).map((k) => k.key) : matchKeysOf(customerFields(attributes), config);

  await q.query(
    `WITH src AS (
       UPDATE customers c
          SET display_name = r.display_name, attributes = r.attributes, score = r.score, stage = r.stage, owner_id = r.owner_id,
              tags = r.tags, account_id = r.account_id, merged_into = NULL, erased_at = r.erased_at,
              created_at = r.created_at, updated_at = r.updated_at, version = r.version
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, display_name text, attributes jsonb, score integer, stage text, owner_id text,
              tags text[], account_id uuid, erased_at timestamptz, created_at timestamptz, updated_at timestamptz, version integer)
        WHERE c.id = r.id
     ), idents AS (
       UPDATE customer_identities i
          SET customer_id = r.customer_id, raw_value = r.raw_value, match_key = r.match_key, source = r.source,
              first_seen = r.first_seen, last_seen = r.last_seen
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, customer_id uuid, raw_value text, match_key text, source text,
              first_seen timestamptz, last_seen timestamptz)
        WHERE i.id = r.id
     ), events AS (
       UPDATE customer_events e SET customer_id = r.customer_id
         FROM (SELECT x.customer_id, unnest(x.ids)::bigint AS id FROM jsonb_to_recordset($3::jsonb) AS x(customer_id uuid, ids text[])) r
        WHERE e.id = r.id
     ), keys AS (
       DELETE FROM customer_match_keys WHERE customer_id = ANY($4::uuid[])
     ), shares AS (
       DELETE FROM customer_identity_shares WHERE customer_id = ANY($4::uuid[])
         AND (customer_id <> $5 OR (type, value) IN (SELECT r.type, r.value FROM jsonb_to_recordset($6::jsonb) AS r(type text, value text, customer_id uuid) WHERE r.customer_id <> $5))
     )
     UPDATE customers SET display_name = $7, attributes = $8::jsonb, score = $9, stage = $10, owner_id = $11, tags = $12::text[],
            account_id = $13, updated_at = $14::timestamptz, version = $15
      WHERE id = $5`,
    [
      JSON.stringify(sources),
      JSON.stringify(sourceIdentities),
      JSON.stringify(eventMoves),
      all,
      targetId,
      JSON.stringify(snap.shares),
      restoredTarget.display_name,
      JSON.stringify(restoredTarget.attributes),
      restoredTarget.score,
      restoredTarget.stage,
      restoredTarget.owner_id,
      restoredTarget.tags,
      restoredTarget.account_id,
      restoredTarget.updated_at,
      restoredTarget.version,
    ],
  );
  // Separate statements: a data-modifying CTE cannot see the deletes above.
  await q.query(
    `INSERT INTO customer_match_keys (customer_id, key)
     SELECT r.customer_id, r.key FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, key text)
     UNION SELECT $2::uuid, k FROM unnest($3::text[]) AS k
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(sourceKeys), targetId, targetKeys],
  );
  await q.query(
    `INSERT INTO customer_identity_shares (type, value, customer_id, raw_value, source, first_seen)
     SELECT r.type, r.value, r.customer_id, r.raw_value, r.source, r.first_seen
       FROM jsonb_to_recordset($1::jsonb) AS r(type text, value text, customer_id uuid, raw_value text, source text, first_seen timestamptz)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(snap.shares)],
  );
  // Tasks and assignments go back to the customer they came from (unless moved on since).
  const movedBack = (byCustomer: Record<string, string[]> | undefined) => JSON.stringify(Object.entries(byCustomer ?? {}).map(([customer_id, ids]) => ({ customer_id, ids })));
  await q.query(
    `WITH t AS (
       UPDATE tasks x SET customer_id = r.customer_id
         FROM (SELECT m.customer_id, unnest(m.ids)::uuid AS id FROM jsonb_to_recordset($1::jsonb) AS m(customer_id uuid, ids text[])) r
        WHERE x.id = r.id AND x.customer_id = $3
     )
     UPDATE assignments x SET customer_id = r.customer_id
       FROM (SELECT m.customer_id, unnest(m.ids)::uuid AS id FROM jsonb_to_recordset($2::jsonb) AS m(customer_id uuid, ids text[])) r
      WHERE x.id = r.id AND x.customer_id = $3`,
    [movedBack(snap.tasks), movedBack(snap.assignments), targetId],
  );
  // The target's engagement columns: each back to its value before the merge unless it changed since.
  if (snap.engagement) {
    const [now2]: (EngagementFields & { id: string })[] = await q.query(`SELECT id, ${ENGAGEMENT_COLUMNS.join(', ')} FROM customers WHERE id = $1`, [targetId]);
    const current2 = pickEngagement(now2);
    const restored = Object.fromEntries(
      ENGAGEMENT_COLUMNS.map((k) => [k, sameInstant(current2[k], snap.engagement!.after[k]) ? snap.engagement!.before[k] : current2[k]]),
    ) as unknown as EngagementFields;
    await setEngagement(q, targetId, restored);
  }
  // The target's own identities get their pre-merge seen times back only when untouched.
  if (untouched) {
    await q.query(
      `UPDATE customer_identities i SET last_seen = r.last_seen
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, last_seen timestamptz) WHERE i.id = r.id`,
      [JSON.stringify(snap.identities.filter((i) => i.customer_id === targetId))],
    );
  }
  // An undo says these are not one person (unless told otherwise): the survivor and each customer
  // restored are kept apart as a review decision would, so neither the store's resolution nor a
  // rematch merges them again; a person still can.
  if (separate) await recordSeparations(q, sourceIds.map((id) => [id, targetId]), actor, now);
  // Review items this merge closed: decided as separated when their two customers are now on the
  // two sides of a pair kept apart (each side with whoever had been merged into it before), open
  // again otherwise, unless the pair got a new item meanwhile.
  const closed: { id: string; customer_id: string; candidate_id: string }[] = await q.query(
    `SELECT id, customer_id, candidate_id FROM match_reviews WHERE merge_id = $1 ORDER BY id`,
    [mergeId],
  );
  const sideOf = new Map<string, string>();
  if (separate && closed.length > 0) {
    for (const id of all) {
      sideOf.set(id, id);
      for (const m of await mergedInto(q, [id])) sideOf.set(m, id);
    }
  }
  const apart = closed
    .filter((r) => {
      const [x, y] = [sideOf.get(r.customer_id), sideOf.get(r.candidate_id)];
      return x !== undefined && y !== undefined && x !== y && (x === targetId || y === targetId);
    })
    .map((r) => r.id);
  if (apart.length > 0) {
    await q.query(
      `UPDATE match_reviews SET status = 'separated', decided_at = $2::timestamptz, decided_by = $3, merge_id = NULL WHERE id = ANY($1::uuid[])`,
      [apart, now.toISOString(), actor],
    );
  }
  await q.query(
    `UPDATE match_reviews r SET status = 'pending', decided_at = NULL, decided_by = NULL, merge_id = NULL
      WHERE r.merge_id = $1 AND NOT EXISTS (
        SELECT 1 FROM match_reviews o WHERE o.status = 'pending'
           AND LEAST(o.customer_id, o.candidate_id) = LEAST(r.customer_id, r.candidate_id)
           AND GREATEST(o.customer_id, o.candidate_id) = GREATEST(r.customer_id, r.candidate_id))`,
    [mergeId],
  );
  await q.query(`UPDATE customer_merges SET undone_at = $2::timestamptz WHERE id = $1`, [mergeId, now.toISOString()]);
  await audit(q, actor, 'customer.merge_undone', targetId, { mergeId, targetId, restoredIds: sourceIds, separated: separate });
  return { mergeId, targetId, restoredIds: sourceIds, separated: separate };
}

function pickEngagement(row: Partial<EngagementFields> | undefined): EngagementFields {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return {
    priority: row?.priority ?? null,
    first_channel: row?.first_channel ?? null,
    last_interaction_at: iso(row?.last_interaction_at),
    assigned_at: iso(row?.assigned_at),
    stage_changed_at: iso(row?.stage_changed_at),
    score_updated_at: iso(row?.score_updated_at),
  };
}

const sameInstant = (a: string | null, b: string | null) => (a === null || b === null ? a === b : a === b || Date.parse(a) === Date.parse(b));
const latest = (values: (string | null)[]) => values.filter((v): v is string => v !== null).sort().at(-1) ?? null;

/**
 * The merged customer's engagement: the first channel of whichever record came first, the latest
 * interaction of any, the assignment time of the owner that survived, the score time of the best score.
 */
export function mergedEngagement(
  rows: (EngagementFields & { id: string; created_at: string; owner_id: string | null; score: number })[],
  targetId: string,
  after: Pick<TargetFields, 'owner_id' | 'score'>,
): EngagementFields {
  const target = rows.find((r) => r.id === targetId)!;
  const oldest = [...rows].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id.localeCompare(b.id));
  const ownerRow = rows.find((r) => r.id === targetId && r.owner_id === after.owner_id) ?? rows.find((r) => r.owner_id === after.owner_id);
  const scoreRow = rows.find((r) => r.id === targetId && r.score === after.score) ?? rows.find((r) => r.score === after.score);
  return {
    priority: target.priority ?? rows.find((r) => r.priority)?.priority ?? null,
    first_channel: oldest.find((r) => r.first_channel)?.first_channel ?? null,
    last_interaction_at: latest(rows.map((r) => r.last_interaction_at)),
    assigned_at: after.owner_id ? (ownerRow?.assigned_at ?? target.assigned_at) : target.assigned_at,
    stage_changed_at: target.stage_changed_at,
    score_updated_at: scoreRow?.score_updated_at ?? target.score_updated_at,
  };
}

async function setEngagement(q: QueryRunner, id: string, e: EngagementFields): Promise<void> {
  await q.query(
    `UPDATE customers SET priority = $2, first_channel = $3, last_interaction_at = $4::timestamptz, assigned_at = $5::timestamptz,
            stage_changed_at = $6::timestamptz, score_updated_at = $7::timestamptz WHERE id = $1`,
    [id, e.priority, e.first_channel, e.last_interaction_at, e.assigned_at, e.stage_changed_at, e.score_updated_at],
  );
}

/**
 * Records that each pair is two people (a review's `separate`, an undo): never merged or queued
 * again by resolution or rematch. Pairs in either order; in ascending order as stored, and written
 * in that order like every writer of these rows.
 */
export async function recordSeparations(q: QueryRunner, pairs: [string, string][], actor: string, now: Date, reviewId: string | null = null): Promise<void> {
  const rows = pairs.map(([a, b]) => (a < b ? [a, b] : [b, a])).sort((x, y) => (x.join() < y.join() ? -1 : 1));
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO customer_separations (customer_a, customer_b, review_id, actor, created_at)
     SELECT a, b, $3::uuid, $4, $5::timestamptz FROM unnest($1::uuid[], $2::uuid[]) AS p(a, b)
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), reviewId, actor, now.toISOString()],
  );
}

/** Each id → its live survivor (following merged_into). Throws not_found / conflict (erased). */
export async function followMerges(q: QueryRunner, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let pending = [...new Set(ids)];
  const next = new Map<string, string | null>();
  // However long the chain (each merge of a survivor adds a link): `next` ends it, no cycle can repeat.
  while (pending.length > 0) {
    const rows: { id: string; merged_into: string | null; erased_at: Date | null }[] = await q.query(
      `SELECT id, merged_into, erased_at FROM customers WHERE id = ANY($1::uuid[])`,
      [pending],
    );
    const got = new Set(rows.map((r) => r.id));
    const missing = pending.find((id) => !got.has(id));
    if (missing) throw new CustomerStoreError('not_found', `no customer ${missing}`);
    for (const r of rows) {
      if (r.erased_at) throw new CustomerStoreError('conflict', `customer ${r.id} was erased`);
      next.set(r.id, r.merged_into);
    }
    pending = rows.map((r) => r.merged_into).filter((m): m is string => !!m && !next.has(m));
  }
  for (const id of ids) {
    let cur = id;
    for (let i = 0; i <= next.size && next.get(cur); i++) cur = next.get(cur)!;
    out.set(id, cur);
  }
  return out;
}

/**
 * Every customer merged into one of `ids`, directly or through earlier merges (a into b, then
 * b into c: both for c), not `ids` themselves. Followed level by level with `= ANY`, which
 * probes ix_customers_merged_into (a recursive CTE was planned as a scan of every customer:
 * 8 ms a merge at 75,000 customers).
 */
export async function mergedInto(q: QueryRunner, ids: string[]): Promise<string[]> {
  const found = new Set<string>(ids);
  const out: string[] = [];
  for (let frontier = ids; frontier.length > 0; ) {
    const rows: { id: string }[] = await q.query(`SELECT id FROM customers WHERE merged_into = ANY($1::uuid[])`, [frontier]);
    frontier = rows.map((r) => r.id).filter((x) => !found.has(x));
    for (const x of frontier) found.add(x);
    out.push(...frontier);
  }
  return out;
}

/**
 * Advisory locks on the customers' identities and blocking keys (plus extra identity keys),
 * ascending. `try` (a merge inside an upsert, which already holds row locks) never waits: a
 * lock someone else holds fails the transaction with identity_race naming the keys it missed
 * (`details.lockKeys`), for the retry to take in its first pass.
 */
async function lockCustomers(q: QueryRunner, ids: string[], extraIdentityKeys: string[], locking: MergeLocking = 'wait'): Promise<void> {
  const rows: { type: string; value: string }[] = await q.query(`SELECT type, value FROM customer_identities WHERE customer_id = ANY($1::uuid[])`, [ids]);
  const keys: { key: string }[] = await q.query(`SELECT key FROM customer_match_keys WHERE customer_id = ANY($1::uuid[])`, [ids]);
  const names = [
    ...rows.map((r) => `i\u0000${identityKey(r.type, r.value)}`),
    ...extraIdentityKeys.map((k) => `i\u0000${k}`),
    ...keys.map((k) => `k\u0000${k.key}`),
  ];
  if (names.length === 0) return;
  if (locking === 'wait') return lockNames(q, names);
  const missed = await tryLockNames(q, names);
  if (missed.length > 0) {
    throw new CustomerStoreError('identity_race', `another writer holds ${missed.length} of the locks this merge needs`, { lockKeys: missed });
  }
}

/**
 * How a merge takes its advisory locks: `wait` in a transaction of its own (before any row
 * lock), `try` inside a transaction that already holds row locks (see lockCustomers).
 */
export type MergeLocking = 'wait' | 'try';

/** The lock keys an identity_race from a `try` merge names, for the retry's first pass. */
export function missedLockKeys(err: unknown): string[] {
  if (!(err instanceof CustomerStoreError) || err.code !== 'identity_race') return [];
  const keys = (err.details as { lockKeys?: unknown } | undefined)?.lockKeys;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

export async function audit(q: QueryRunner, actor: string, action: string, entityId: string, details: Record<string, unknown>, entity = 'customer'): Promise<void> {
  await q.query(`INSERT INTO audit_log (actor, action, entity, entity_id, details) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    actor,
    action,
    entity,
    entityId,
    JSON.stringify(details),
  ]);
}
