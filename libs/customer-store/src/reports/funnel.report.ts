import { FUNNEL_PATH, STAGE_CHANGED, STAGE_ORDER } from './report-event-types.js';
import type { ReportFilters } from './report-filters.js';
import { jsonRows, ratio, ReportSql } from './report-sql.util.js';

/**
 * The funnel: live customers per stage now; and in the period, the path lead → mql → sql →
 * customer (`lead`: customers created; the others: distinct customers a `stage_changed`
 * event moved into the stage), every (from, to) move, and the path per bucket. Stage names
 * compare without case.
 */
export function funnelSql(filters: ReportFilters): { sql: string; params: unknown[] } {
  const s = new ReportSql(filters);
  const path = s.param([...FUNNEL_PATH]);
  const order = s.param([...STAGE_ORDER]);
  const reached = (stage: string, where = 'true') =>
    `(count(DISTINCT customer_id) FILTER (WHERE to_key = '${stage}' AND ${where}))::int`;
  const sql = `
    WITH ${s.bucketsCte},
    moves AS MATERIALIZED (
      SELECT e.customer_id, NULLIF(e.payload ->> 'from', '') AS from_stage, e.payload ->> 'to' AS to_stage,
             lower(e.payload ->> 'to') AS to_key, ${s.bucket('e.occurred_at')} AS bucket
        FROM customer_events e JOIN customers c ON c.id = e.customer_id
       WHERE e.type = '${STAGE_CHANGED}' AND ${s.inPeriod('e.occurred_at')} AND ${s.customers()}
         AND NULLIF(e.payload ->> 'to', '') IS NOT NULL
    ), created AS MATERIALIZED (
      SELECT ${s.bucket('c.created_at')} AS bucket FROM customers c WHERE ${s.customers()} AND ${s.inPeriod('c.created_at')}
    ), reached AS (
      SELECT to_key, count(DISTINCT customer_id)::int AS n FROM moves GROUP BY to_key
    ), path_counts AS MATERIALIZED (
      SELECT p.stage, p.ord, CASE WHEN p.ord = 1 THEN (SELECT count(*)::int FROM created) ELSE COALESCE(r.n, 0) END AS n
        FROM unnest(${path}::text[]) WITH ORDINALITY AS p(stage, ord) LEFT JOIN reached r ON r.to_key = p.stage
    ), per_bucket AS (
      SELECT bucket, ${FUNNEL_PATH.slice(1).map((st) => `${reached(st)} AS "${st}"`).join(', ')} FROM moves GROUP BY bucket
    ), created_per_bucket AS (SELECT bucket, count(*)::int AS n FROM created GROUP BY bucket)
    SELECT json_build_object(
      'stages', ${jsonRows(
        `json_build_object('stage', x.stage, 'customers', x.n)`,
        `(SELECT c.stage, count(*)::int AS n FROM customers c WHERE ${s.customers()} GROUP BY c.stage) x`,
        `array_position(${order}::text[], lower(x.stage)) NULLS LAST, x.stage`,
      )},
      'steps', ${jsonRows(
        `json_build_object('stage', x.stage, 'customers', x.n, 'rateFromPrevious', x.rate)`,
        `(SELECT stage, ord, n, CASE WHEN ord > 1 THEN ${ratio('n', 'lag(n) OVER (ORDER BY ord)')} END AS rate FROM path_counts) x`,
        'x.ord',
      )},
      'transitions', ${jsonRows(
        `json_build_object('from', x.from_stage, 'to', x.to_stage, 'customers', x.n)`,
        `(SELECT from_stage, to_stage, count(DISTINCT customer_id)::int AS n FROM moves GROUP BY from_stage, to_stage) x`,
        `array_position(${order}::text[], lower(x.from_stage)) NULLS FIRST, x.from_stage, array_position(${order}::text[], lower(x.to_stage)) NULLS LAST, x.to_stage`,
      )},
      'series', ${jsonRows(
        `json_build_object('period', b.period, 'start', b.start_iso, 'lead', COALESCE(n.n, 0), ${FUNNEL_PATH.slice(1)
          .map((st) => `'${st}', COALESCE(p."${st}", 0)`)
          .join(', ')})`,
        `buckets b LEFT JOIN per_bucket p ON p.bucket = b.idx LEFT JOIN created_per_bucket n ON n.bucket = b.idx`,
        'b.idx',
      )}
    ) AS report`;
  return { sql, params: s.params };
}
