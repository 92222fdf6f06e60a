import type { Provenance } from '@tributary/engine';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AttributeEntry, AttributeMap } from '../customer-store.types.js';
import { isUuid } from '../util/uuid-v7.util.js';
import { lockRescoreBatch, rescoreInBatches, rescoreKey } from './rescore.command.js';
import {
  DEFAULT_RFM_AMOUNT_PATHS,
  DEFAULT_RFM_BREAKPOINTS,
  DEFAULT_RFM_CANCEL_TYPES,
  DEFAULT_RFM_EVENT_TYPES,
  DEFAULT_RFM_ORDER_ID_PATH,
  DEFAULT_RFM_PREFIX,
  DEFAULT_RFM_SEGMENTS,
  RFM_FALLBACK_SEGMENT,
  SCORE_EVENT_TYPE,
} from './scoring.defaults.js';
import { lockCustomers, ScoringRetry, survivorsOf, type LockedCustomerRow } from './scoring-rows.util.js';
import type { AppliedRule, Crossing, RescoreRequest, RescoreSummary, ResolvedRfmBreakpoints, RfmConfig, RfmOutcome, RfmRequest, RfmValues } from './scoring.types.js';

const DAY_MS = 86_400_000;

/** The RFM fields stored on the customer, by their name without the prefix. */
const FIELDS = ['r', 'f', 'm', 'segment', 'frequency', 'monetary', 'last_purchase_at'] as const;
type Field = (typeof FIELDS)[number];

interface RfmRow {
  customer_id: string;
  last_at: Date;
  frequency: number;
  monetary: string;
  days: number;
  r: number;
  f: number;
  m: number;
  segment: string;
}

/**
 * `:name` placeholders to `$n`, so one query text serves both scopes (some ids, the whole
 * store) with only the parameters it uses.
 */
function bind(sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const order: string[] = [];
  const text = sql.replace(/(?<!:):([a-z_]+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`rfm query: no parameter ${name}`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return [text, order.map((n) => params[n])];
}

/**
 * Each customer's orders and their recency, frequency and monetary value, in SQL: purchase
 * events grouped by order id (an order placed and paid counts once, at its latest amount;
 * an order with a cancel or refund event does not count), the amount being the first of
 * the configured payload paths that holds a decimal number.
 */
function aggregateSql(scope: 'ids' | 'all'): string {
  const source =
    scope === 'ids'
      ? `FROM unnest(:ids::uuid[]) AS ids(id) JOIN customer_events e ON e.customer_id = ids.id`
      : `FROM customer_events e JOIN customers c ON c.id = e.customer_id AND c.merged_into IS NULL AND c.erased_at IS NULL`;
  return `
    ev AS (
      SELECT e.customer_id, e.id, e.type, e.occurred_at,
             COALESCE(NULLIF(btrim(e.payload #>> :order_path::text[]), ''), 'event:' || e.id::text) AS order_key,
             (SELECT y.n FROM unnest(:amount_paths::text[]) WITH ORDINALITY AS p(path, ord)
                CROSS JOIN LATERAL (SELECT regexp_replace(e.payload #>> string_to_array(p.path, '.'), '[\\s,¥￥$]', '', 'g') AS t) x
                CROSS JOIN LATERAL (SELECT CASE WHEN x.t ~ '^-?[0-9]{1,15}(\\.[0-9]{1,6})?$' THEN x.t::numeric END AS n) y
               WHERE y.n IS NOT NULL ORDER BY p.ord LIMIT 1) AS amount
        ${source}
       WHERE e.type = ANY(:types::text[]) OR e.type = ANY(:cancel_types::text[])
    ), orders AS (
      SELECT customer_id, order_key,
             max(occurred_at) FILTER (WHERE type = ANY(:types::text[])) AS at,
             (array_agg(amount ORDER BY occurred_at DESC, id DESC) FILTER (WHERE type = ANY(:types::text[]) AND amount IS NOT NULL))[1] AS amount,
             bool_or(type = ANY(:cancel_types::text[])) AS voided
        FROM ev GROUP BY customer_id, order_key
    ), agg AS (
      SELECT customer_id, max(at) AS last_at,
             count(*) FILTER (WHERE :window_start::timestamptz IS NULL OR at >= :window_start::timestamptz)::int AS frequency,
             COALESCE(sum(amount) FILTER (WHERE :window_start::timestamptz IS NULL OR at >= :window_start::timestamptz), 0) AS monetary,
             floor(extract(epoch FROM (:now::timestamptz - max(at))) / 86400)::int AS days
        FROM orders WHERE at IS NOT NULL AND NOT voided GROUP BY customer_id
    )`;
}

function baseParams(config: RfmConfig, now: Date): Record<string, unknown> {
  return {
    types: config.eventTypes ?? DEFAULT_RFM_EVENT_TYPES,
    cancel_types: config.cancelTypes ?? DEFAULT_RFM_CANCEL_TYPES,
    amount_paths: config.amountPaths ?? DEFAULT_RFM_AMOUNT_PATHS,
    order_path: (config.orderIdPath ?? DEFAULT_RFM_ORDER_ID_PATH).split('.'),
    window_start: config.lookbackDays ? new Date(now.getTime() - config.lookbackDays * DAY_MS).toISOString() : null,
    now: now.toISOString(),
  };
}

/**
 * The breakpoints to score with: the configured fixed ones, or the 20th/40th/60th/80th
 * percentiles of recency, frequency and monetary value over the live customers with
 * orders, measured in one SQL statement.
 */
export async function resolveRfmBreakpoints(q: QueryRunner | DataSource, config: RfmConfig, now: Date): Promise<ResolvedRfmBreakpoints> {
  if (config.method !== 'quintiles') {
    const b = config.breakpoints ?? DEFAULT_RFM_BREAKPOINTS;
    return { recencyDays: b.recencyDays, frequency: b.frequency, monetary: b.monetary.map(String), strict: false };
  }
  const [sql, params] = bind(
    `WITH ${aggregateSql('all')}
     SELECT count(*)::int AS n,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY days) AS r,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY frequency) AS f,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY monetary)::text[] AS m
       FROM agg`,
    baseParams(config, now),
  );
  const [row]: { n: number; r: number[] | null; f: number[] | null; m: string[] | null }[] = await q.query(sql, params);
  if (!row || row.n === 0) return { recencyDays: [0, 0, 0, 0], frequency: [0, 0, 0, 0], monetary: ['0', '0', '0', '0'], strict: true, population: 0 };
  return { recencyDays: row.r!.map(Number), frequency: row.f!.map(Number), monetary: row.m!, strict: true, population: row.n };
}

/** R, F, M and the segment of the given customers (those with orders), in SQL. */
async function computeRfm(q: QueryRunner, ids: string[], config: RfmConfig, bp: ResolvedRfmBreakpoints, now: Date): Promise<Map<string, RfmRow>> {
  if (ids.length === 0) return new Map();
  const cmp = bp.strict ? '>' : '>=';
  const segments = (config.segments ?? DEFAULT_RFM_SEGMENTS).map((s, ord) => ({
    ord,
    label: s.label,
    r_min: s.r?.[0] ?? 1,
    r_max: s.r?.[1] ?? 5,
    f_min: s.f?.[0] ?? 1,
    f_max: s.f?.[1] ?? 5,
    m_min: s.m?.[0] ?? 1,
    m_max: s.m?.[1] ?? 5,
  }));
  const [sql, params] = bind(
    `WITH ${aggregateSql('ids')},
     scored AS (
       SELECT a.customer_id, a.last_at, a.frequency, a.monetary::text AS monetary, a.days,
              CASE WHEN a.days <= (:rb::numeric[])[1] THEN 5 WHEN a.days <= (:rb::numeric[])[2] THEN 4
                   WHEN a.days <= (:rb::numeric[])[3] THEN 3 WHEN a.days <= (:rb::numeric[])[4] THEN 2 ELSE 1 END AS r,
              CASE WHEN a.frequency ${cmp} (:fb::numeric[])[4] THEN 5 WHEN a.frequency ${cmp} (:fb::numeric[])[3] THEN 4
                   WHEN a.frequency ${cmp} (:fb::numeric[])[2] THEN 3 WHEN a.frequency ${cmp} (:fb::numeric[])[1] THEN 2 ELSE 1 END AS f,
              CASE WHEN a.monetary ${cmp} (:mb::numeric[])[4] THEN 5 WHEN a.monetary ${cmp} (:mb::numeric[])[3] THEN 4
                   WHEN a.monetary ${cmp} (:mb::numeric[])[2] THEN 3 WHEN a.monetary ${cmp} (:mb::numeric[])[1] THEN 2 ELSE 1 END AS m
         FROM agg a
     )
     SELECT s.*, COALESCE((
              SELECT g.label FROM jsonb_to_recordset(:segments::jsonb)
                       AS g(ord int, label text, r_min int, r_max int, f_min int, f_max int, m_min int, m_max int)
               WHERE s.r BETWEEN g.r_min AND g.r_max AND s.f BETWEEN g.f_min AND g.f_max AND s.m BETWEEN g.m_min AND g.m_max
               ORDER BY g.ord LIMIT 1), :fallback) AS segment
       FROM scored s`,
    {
      ...baseParams(config, now),
      ids,
      rb: bp.recencyDays,
      fb: bp.frequency,
      mb: bp.monetary,
      segments: JSON.stringify(segments),
      fallback: RFM_FALLBACK_SEGMENT,
    },
  );
  const rows: RfmRow[] = await q.query(sql, params);
  return new Map(rows.map((r) => [r.customer_id, r]));
}

function valuesOf(r: RfmRow): RfmValues {
  return {
    r: r.r,
    f: r.f,
    m: r.m,
    segment: r.segment,
    frequency: r.frequency,
    monetary: r.monetary,
    lastPurchaseAt: r.last_at.toISOString(),
    recencyDays: r.days,
  };
}

function stored(v: RfmValues): Record<Field, unknown> {
  return { r: v.r, f: v.f, m: v.m, segment: v.segment, frequency: v.frequency, monetary: v.monetary, last_purchase_at: v.lastPurchaseAt };
}

/** The RFM values the customer holds now (as attributes), if any. */
function previousOf(attributes: AttributeMap, prefix: string): Partial<RfmValues> | null {
  const get = (f: Field) => attributes[prefix + f]?.value;
  if (get('segment') === undefined && get('r') === undefined) return null;
  const p: Partial<RfmValues> = {};
  if (get('r') !== undefined) p.r = Number(get('r'));
  if (get('f') !== undefined) p.f = Number(get('f'));
  if (get('m') !== undefined) p.m = Number(get('m'));
  if (get('segment') !== undefined) p.segment = String(get('segment'));
  if (get('frequency') !== undefined) p.frequency = Number(get('frequency'));
  if (get('monetary') !== undefined) p.monetary = String(get('monetary'));
  if (get('last_purchase_at') !== undefined) p.lastPurchaseAt = String(get('last_purchase_at'));
  return p;
}

interface RfmChange {
  customerId: string;
  idempotencyKey: string;
  patch: AttributeMap;
  payload: Record<string, unknown>;
  crossed: Crossing[];
}

/** The attribute patch and explanation when the values moved; undefined when nothing did. */
function diff(row: LockedCustomerRow, v: RfmValues, config: RfmConfig, bp: ResolvedRfmBreakpoints, provenance: Provenance, now: Date): Omit<RfmChange, 'idempotencyKey'> | undefined {
  const prefix = config.attributePrefix ?? DEFAULT_RFM_PREFIX;
  const attrs = row.attributes ?? {};
  const next = stored(v);
  const patch: AttributeMap = {};
  for (const f of FIELDS) {
    const name = prefix + f;
    const old = attrs[name];
    if (old && JSON.stringify(old.value) === JSON.stringify(next[f])) continue;
    const entry: AttributeEntry = { value: next[f], source: provenance.source, flowId: provenance.flowId, flowVersion: provenance.flowVersion, runId: provenance.runId, nodeId: provenance.nodeId, updatedAt: now.toISOString() };
    if (old) entry.previous = { value: old.value, source: old.source, runId: old.runId, updatedAt: old.updatedAt };
    patch[name] = entry;
  }
  if (Object.keys(patch).length === 0) return undefined;
  const before = previousOf(attrs, prefix);
  const crossed: Crossing[] = before?.segment !== v.segment ? [{ threshold: 'rfm_segment', direction: 'entered', from: before?.segment ?? null, to: v.segment }] : [];
  const rules: AppliedRule[] = [
    { rule: 'rfm_r', points: v.r, reason: `last purchase ${v.recencyDays} days ago (${describeRecency(v.recencyDays, bp)})` },
    { rule: 'rfm_f', points: v.f, reason: `${v.frequency} orders${config.lookbackDays ? ` in ${config.lookbackDays} days` : ''} (${describeAscending(v.frequency, bp.frequency, bp.strict)})` },
    { rule: 'rfm_m', points: v.m, reason: `total ${v.monetary}${config.lookbackDays ? ` in ${config.lookbackDays} days` : ''} (${describeAscending(Number(v.monetary), bp.monetary.map(Number), bp.strict)})` },
    { rule: 'rfm_segment', points: 0, reason: `R${v.r} F${v.f} M${v.m} → ${v.segment}` },
  ];
  const payload: Record<string, unknown> = {
    model: 'rfm',
    before,
    after: v,
    rules,
    crossed,
    breakpoints: { method: bp.strict ? 'quintiles' : 'fixed', recencyDays: bp.recencyDays, frequency: bp.frequency, monetary: bp.monetary },
  };
  return { customerId: row.id, patch, payload, crossed };
}

function describeRecency(days: number, bp: ResolvedRfmBreakpoints): string {
  const i = bp.recencyDays.findIndex((b) => days <= b);
  return i < 0 ? `more than ${bp.recencyDays[3]} days → 1` : `at most ${bp.recencyDays[i]} days → ${5 - i}`;
}

function describeAscending(v: number, b: number[], strict: boolean): string {
  for (let i = 3; i >= 0; i--) if (strict ? v > b[i]! : v >= b[i]!) return `${strict ? 'above' : 'at least'} ${b[i]} → ${i + 2}`;
  return `${strict ? 'at most' : 'below'} ${b[0]} → 1`;
}

async function writeRfmChanges(q: QueryRunner, changes: RfmChange[], provenance: Provenance, now: Date): Promise<void> {
  if (changes.length === 0) return;
  const [{ n }]: { n: number }[] = await q.query(
    `WITH ev AS (
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key)
       SELECT r.customer_id, '${SCORE_EVENT_TYPE}', $3::timestamptz, r.payload, $4, $5, $6, $7, $8, r.idempotency_key
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, payload jsonb, idempotency_key text)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING 1
     ), upd AS (
       UPDATE customers c SET attributes = c.attributes || r.patch, updated_at = $3::timestamptz, version = c.version + 1
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, patch jsonb)
        WHERE c.id = r.id
     )
     SELECT count(*)::int AS n FROM ev`,
    [
      JSON.stringify(changes.map((c) => ({ customer_id: c.customerId, payload: c.payload, idempotency_key: c.idempotencyKey }))),
      JSON.stringify(changes.map((c) => ({ id: c.customerId, patch: c.patch }))),
      now.toISOString(),
      provenance.source,
      provenance.flowId,
      provenance.flowVersion,
      provenance.runId,
      provenance.nodeId,
    ],
  );
  if (n !== changes.length) throw new ScoringRetry('an RFM score_changed event was written concurrently');
}

/**
 * RFM for the customers of a batch of items, in one transaction the caller opened: follow
 * merged ids, lock the customers, skip what an earlier attempt wrote, compute in SQL, store
 * the values that moved as attributes with provenance plus a score_changed event (under the
 * first item's key for that customer). Outcomes are in item order.
 */
export async function runRfm(q: QueryRunner, request: RfmRequest, bp: ResolvedRfmBreakpoints, now: Date): Promise<RfmOutcome[]> {
  const asked = [...new Set(request.items.map((i) => i.customerId).filter(isUuid))];
  const survivors = await survivorsOf(q, asked);
  const locked = await lockCustomers(q, [...new Set(survivors.values())]);
  const keys = request.items.map((i) => i.idempotencyKey);
  const replays: { idempotency_key: string; payload: Record<string, unknown> | null }[] = keys.length
    ? await q.query(`SELECT idempotency_key, payload FROM customer_events WHERE idempotency_key = ANY($1::text[])`, [keys])
    : [];
  const replayed = new Map(replays.map((r) => [r.idempotency_key, r.payload]));
  const computed = await computeRfm(q, [...locked.keys()], request.config, bp, now);
  const prefix = request.config.attributePrefix ?? DEFAULT_RFM_PREFIX;

  const outcomes: RfmOutcome[] = [];
  const changes: RfmChange[] = [];
  const done = new Map<string, RfmOutcome>();
  for (const it of request.items) {
    const survivor = isUuid(it.customerId) ? survivors.get(it.customerId) : undefined;
    const row = survivor ? locked.get(survivor) : undefined;
    if (!survivor || !row) {
      outcomes.push({ status: 'not_found', customerId: it.customerId, rfm: null, previous: null, changed: false, score: 0, priority: null, stage: '', crossed: [] });
      continue;
    }
    const base = { customerId: survivor, score: row.score, priority: row.priority, stage: row.stage };
    const replay = replayed.get(it.idempotencyKey);
    if (replay !== undefined) {
      const payload = replay ?? {};
      outcomes.push({ ...base, status: 'replayed', rfm: (payload.after as RfmValues) ?? null, previous: (payload.before as Partial<RfmValues>) ?? null, changed: true, crossed: (payload.crossed as Crossing[]) ?? [] });
      continue;
    }
    // Several items of one customer: computed and written once, the same answer for each.
    const again = done.get(survivor);
    if (again) {
      outcomes.push({ ...again, changed: false, crossed: [] });
      continue;
    }
    const r = computed.get(survivor);
    const v = r ? valuesOf(r) : null;
    const change = v ? diff(row, v, request.config, bp, request.provenance, now) : undefined;
    if (change) changes.push({ ...change, idempotencyKey: it.idempotencyKey });
    const outcome: RfmOutcome = { ...base, status: 'scored', rfm: v, previous: previousOf(row.attributes ?? {}, prefix), changed: !!change, crossed: change?.crossed ?? [] };
    done.set(survivor, outcome);
    outcomes.push(outcome);
  }
  await writeRfmChanges(q, changes, request.provenance, now);
  return outcomes;
}

/**
 * RFM for every live customer, in keyset batches (one transaction each: lock, compute in
 * SQL, write what moved), with quintiles measured once at the start. A customer this
 * scope already rescored today is left alone.
 */
export async function rescoreRfm(ds: DataSource, request: RescoreRequest, now: Date, attempts: number): Promise<RescoreSummary> {
  const started = Date.now();
  const config = request.rfm ?? {};
  const day = now.toISOString().slice(0, 10);
  const bp = await resolveRfmBreakpoints(ds, config, now);
  const summary: RescoreSummary = { model: 'rfm', day, customers: 0, changed: 0, skipped: 0, crossedCount: 0, crossed: [], batches: 0, ms: 0, breakpoints: bp };
  await rescoreInBatches(ds, request, attempts, summary, async (q, after, batchSize) => {
    const rows = await lockRescoreBatch<LockedCustomerRow>(q, { columns: 'id, score, priority, stage, tags, attributes, merged_into, erased_at', after, batchSize, scope: request.scope, day });
    if (rows.length === 0) return undefined;
    const keys = rows.map((r) => rescoreKey(request.scope, r.id, day));
    const seen: { idempotency_key: string }[] = await q.query(`SELECT idempotency_key FROM customer_events WHERE idempotency_key = ANY($1::text[])`, [keys]);
    const skip = new Set(seen.map((s) => s.idempotency_key));
    const todo = rows.filter((r) => !skip.has(rescoreKey(request.scope, r.id, day)));
    const computed = await computeRfm(q, todo.map((r) => r.id), config, bp, now);
    const changes: RfmChange[] = [];
    for (const row of todo) {
      const r = computed.get(row.id);
      const change = r ? diff(row, valuesOf(r), config, bp, request.provenance, now) : undefined;
      if (change) changes.push({ ...change, idempotencyKey: rescoreKey(request.scope, row.id, day) });
    }
    await writeRfmChanges(q, changes, request.provenance, now);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const crossings = changes
      .filter((c) => c.crossed.length > 0)
      .map((c) => {
        const row = byId.get(c.customerId)!;
        return { customerId: c.customerId, score: row.score, scoreDelta: 0, priority: row.priority, stage: row.stage, crossed: c.crossed };
      });
    return { last: rows[rows.length - 1]!.id, count: rows.length, skipped: skip.size, changed: changes.length, crossings };
  });
  summary.ms = Date.now() - started;
  return summary;
}
