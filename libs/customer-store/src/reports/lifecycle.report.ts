import { CHURNED_STAGES, DORMANT_AFTER_DAYS, NON_INTERACTION_EVENTS, STAGE_CHANGED } from './report-event-types.js';
import type { ReportFilters } from './report-filters.js';
import { jsonRows, ReportSql } from './report-sql.util.js';

/**
 * New, active, dormant and churned customers per bucket.
 * - new: created in the bucket; active: an interaction (any timeline event but the engine's
 *   bookkeeping, NON_INTERACTION_EVENTS) in the bucket.
 * - dormant at the end t of a bucket: created before t, and neither created nor interacting
 *   in the 90 days before t. Each interaction (or creation) at `at` keeps its customer awake
 *   over (at, min(at + 90 days, its next one)]; these spans do not overlap, so the awake
 *   customers at t are #(at < t) − #(until < t), two running counts over the buckets. Only
 *   interactions from 90 days before the period are read.
 * - churned at t: stage churned or churn_risk. Today's count, undone by the stage_changed
 *   events after t (each moving a customer into or out of those stages).
 */
export function lifecycleSql(filters: ReportFilters): { sql: string; params: unknown[] } {
  const s = new ReportSql(filters);
  const bookkeeping = s.param([...NON_INTERACTION_EVENTS]);
  const churned = s.param([...CHURNED_STAGES]);
  const window = `${s.from} - interval '${DORMANT_AFTER_DAYS} days'`;
  const sql = `
    WITH ${s.bucketsCte},
    pts AS (
      -- interactions from 90 days before the period to its end, and creations
      SELECT e.customer_id, e.occurred_at AS at, true AS interaction FROM customer_events e
       WHERE e.occurred_at >= ${window} AND e.occurred_at < ${s.to} AND NOT (e.type = ANY(${bookkeeping}::text[]))
      UNION ALL
      SELECT c.id, c.created_at, false FROM customers c
       WHERE ${s.customers()} AND c.created_at >= ${window} AND c.created_at < ${s.to}
    ), seg AS (
      SELECT customer_id, at, interaction, lead(at) OVER (PARTITION BY customer_id ORDER BY at) AS next,
             bool_or(NOT interaction) OVER (PARTITION BY customer_id) AS created_in_window
        FROM pts
    ), live_seg AS (
      -- live customers only, and never awake before they existed
      SELECT s.customer_id, s.interaction, x.at,
             CASE WHEN s.next IS NULL THEN x.at + interval '${DORMANT_AFTER_DAYS} days'
                  ELSE LEAST(x.at + interval '${DORMANT_AFTER_DAYS} days', GREATEST(s.next, c.created_at)) END AS until
        FROM seg s JOIN customers c ON c.id = s.customer_id
        CROSS JOIN LATERAL (SELECT GREATEST(s.at, c.created_at) AS at) x
       WHERE ${s.customers()}
         -- spans over before the period, dropped before the join; only customers created in
         -- the window can have one moved into the period by never starting before they existed
         AND (s.created_in_window OR LEAST(s.at + interval '${DORMANT_AFTER_DAYS} days', s.next) > ${s.from})
    ), awake AS MATERIALIZED (
      -- a span that ends before the period wakes no one at a bucket end (all are after from)
      SELECT customer_id, interaction, at, until FROM live_seg WHERE until > ${s.from}
    ), awake_delta AS (
      SELECT bucket, sum(d)::int AS d FROM (
        SELECT GREATEST(${s.bucket('at')}, 1) AS bucket, 1 AS d FROM awake WHERE at < ${s.to}
        UNION ALL
        SELECT ${s.bucket('until')}, -1 FROM awake WHERE until < ${s.to}
      ) m GROUP BY bucket
    ), created AS (
      SELECT ${s.bucket('c.created_at')} AS bucket, count(*)::int AS n FROM customers c
       WHERE ${s.customers()} AND ${s.inPeriod('c.created_at')} GROUP BY 1
    ), alive_before AS (
      SELECT count(*)::int AS n FROM customers c WHERE ${s.customers()} AND c.created_at < ${s.from}
    ), active AS (
      SELECT bucket, count(*)::int AS n FROM (SELECT DISTINCT customer_id, ${s.bucket('at')} AS bucket FROM awake WHERE interaction AND ${s.inPeriod('at')}) x GROUP BY bucket
    ), moves AS MATERIALIZED (
      SELECT customer_id, occurred_at,
             COALESCE(lower(to_stage) = ANY(${churned}::text[]), false) AS to_churn,
             COALESCE(lower(COALESCE(from_stage, prev_to)) = ANY(${churned}::text[]), false) AS from_churn
        FROM (
          SELECT e.customer_id, e.occurred_at, e.payload ->> 'to' AS to_stage, NULLIF(e.payload ->> 'from', '') AS from_stage,
                 lag(e.payload ->> 'to') OVER (PARTITION BY e.customer_id ORDER BY e.occurred_at, e.id) AS prev_to
            FROM customer_events e JOIN customers c ON c.id = e.customer_id
           WHERE e.type = '${STAGE_CHANGED}' AND e.occurred_at >= ${s.from} AND ${s.customers()}
        ) x
    ), churn AS (
      SELECT ${s.bucket('occurred_at')} AS bucket, sum(to_churn::int - from_churn::int)::int AS d,
             (count(DISTINCT customer_id) FILTER (WHERE to_churn AND NOT from_churn))::int AS became
        FROM moves WHERE occurred_at < ${s.to} GROUP BY 1
    ), churn_now AS (
      -- today's churned customers, as they were at the end of the period
      SELECT (SELECT count(*) FROM customers c WHERE ${s.customers()} AND lower(c.stage) = ANY(${churned}::text[]))
             - (SELECT COALESCE(sum(to_churn::int - from_churn::int), 0) FROM moves) AS n
    ), rows AS (
      SELECT b.idx, b.period, b.start_iso,
             COALESCE(n.n, 0) AS new, COALESCE(a.n, 0) AS active, COALESCE(ch.became, 0) AS became,
             (SELECT n FROM alive_before) + sum(COALESCE(n.n, 0)) OVER w - sum(COALESCE(aw.d, 0)) OVER w AS dormant,
             (SELECT n FROM churn_now) + sum(COALESCE(ch.d, 0)) OVER w AS churned
        FROM buckets b
        LEFT JOIN created n ON n.bucket = b.idx
        LEFT JOIN active a ON a.bucket = b.idx
        LEFT JOIN awake_delta aw ON aw.bucket = b.idx
        LEFT JOIN churn ch ON ch.bucket = b.idx
      WINDOW w AS (ORDER BY b.idx)
    )
    SELECT json_build_object(
      'totals', json_build_object(
        'new', (SELECT COALESCE(sum(n), 0)::int FROM created),
        'active', (SELECT count(DISTINCT customer_id)::int FROM awake WHERE interaction AND ${s.inPeriod('at')}),
        'becameChurned', (SELECT (count(DISTINCT customer_id) FILTER (WHERE to_churn AND NOT from_churn))::int FROM moves WHERE occurred_at < ${s.to}),
        'dormant', (SELECT dormant::int FROM rows ORDER BY idx DESC LIMIT 1),
        'churned', (SELECT churned::int FROM rows ORDER BY idx DESC LIMIT 1)),
      'series', ${jsonRows(
        `json_build_object('period', r.period, 'start', r.start_iso, 'new', r.new, 'active', r.active, 'becameChurned', r.became, 'dormant', r.dormant::int, 'churned', r.churned::int)`,
        'rows r',
        'r.idx',
      )}
    ) AS report`;
  return { sql, params: s.params };
}
