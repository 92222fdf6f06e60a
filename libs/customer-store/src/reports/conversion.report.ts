import { CONVERTED_STAGE, STAGE_CHANGED } from './report-event-types.js';
import type { ReportFilters } from './report-filters.js';
import { jsonRows, ratio, ReportSql } from './report-sql.util.js';

/** The conversion figures of a group of `conv` rows, as columns. */
const STATS = `
  count(*)::int AS leads,
  count(converted_at)::int AS converted,
  ${ratio('count(converted_at)', 'count(*)')} AS rate,
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::numeric, 2) AS median_days`;
/** Those columns as JSON fields (zero when the group is empty). */
const statsJson = (a: string) =>
  `'leads', COALESCE(${a}.leads, 0), 'converted', COALESCE(${a}.converted, 0), 'rate', ${a}.rate, 'medianDaysToConvert', ${a}.median_days`;

/**
 * Lead-to-customer conversion of the customers created in the period (the cohort), per first
 * channel and per creation bucket. A customer is converted when its stage is `customer`
 * now or a `stage_changed` event moved it to `customer` (it may have churned since); it
 * converted at the first such event, else when its stage last changed.
 */
export function conversionSql(filters: ReportFilters): { sql: string; params: unknown[] } {
  const s = new ReportSql(filters);
  const sql = `
    WITH ${s.bucketsCte},
    conv AS MATERIALIZED (
      SELECT ${s.channel()} AS channel, ${s.bucket('c.created_at')} AS bucket, x.converted_at,
             CASE WHEN x.converted_at IS NOT NULL THEN GREATEST(extract(epoch FROM x.converted_at - c.created_at), 0) / 86400 END AS days
        FROM customers c
        LEFT JOIN LATERAL (
          SELECT min(e.occurred_at) AS at FROM customer_events e
           WHERE e.customer_id = c.id AND e.type = '${STAGE_CHANGED}' AND lower(e.payload ->> 'to') = '${CONVERTED_STAGE}'
        ) ev ON true
        CROSS JOIN LATERAL (
          SELECT COALESCE(ev.at, CASE WHEN lower(c.stage) = '${CONVERTED_STAGE}' THEN COALESCE(c.stage_changed_at, c.created_at) END) AS converted_at
        ) x
       WHERE ${s.customers()} AND ${s.inPeriod('c.created_at')}
    ), per_bucket AS (SELECT bucket, ${STATS} FROM conv GROUP BY bucket)
    SELECT json_build_object(
      'totals', (SELECT json_build_object(${statsJson('t')}) FROM (SELECT ${STATS} FROM conv) t),
      'byChannel', ${jsonRows(`json_build_object('channel', x.channel, ${statsJson('x')})`, `(SELECT channel, ${STATS} FROM conv GROUP BY channel) x`, 'x.leads DESC, x.channel')},
      'series', ${jsonRows(`json_build_object('period', b.period, 'start', b.start_iso, ${statsJson('p')})`, `buckets b LEFT JOIN per_bucket p ON p.bucket = b.idx`, 'b.idx')}
    ) AS report`;
  return { sql, params: s.params };
}
