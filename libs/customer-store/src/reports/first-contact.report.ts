import { CONTACT_EVENTS } from './report-event-types.js';
import type { ReportFilters } from './report-filters.js';
import { jsonRows, ReportSql } from './report-sql.util.js';

const hours = (q: number) => `round((percentile_cont(${q}) WITHIN GROUP (ORDER BY secs) / 3600)::numeric, 2)`;
/** The figures of a group of `timed` rows, as columns. */
const STATS = `
  count(*)::int AS customers,
  count(contacted_at)::int AS contacted,
  ${hours(0.5)} AS median_hours,
  ${hours(0.9)} AS p90_hours`;
const statsJson = (a: string) =>
  `'customers', COALESCE(${a}.customers, 0), 'contacted', COALESCE(${a}.contacted, 0),
   'uncontacted', COALESCE(${a}.customers - ${a}.contacted, 0), 'medianHours', ${a}.median_hours, 'p90Hours', ${a}.p90_hours`;

/**
 * Time to first contact of the customers created in the period: from their assignment (the
 * latest, when they have one) else their creation, to the first task_completed, contacted or
 * owner_contacted event at or after it. Median and 90th percentile in hours, of those
 * contacted; the others are counted as uncontacted. Per first channel, per current owner and
 * per creation bucket.
 */
export function firstContactSql(filters: ReportFilters): { sql: string; params: unknown[] } {
  const s = new ReportSql(filters);
  const contactTypes = s.param([...CONTACT_EVENTS]);
  const sql = `
    WITH ${s.bucketsCte},
    timed AS MATERIALIZED (
      SELECT ${s.channel()} AS channel, c.owner_id, ${s.bucket('c.created_at')} AS bucket,
             fc.at AS contacted_at, extract(epoch FROM fc.at - x.start_at) AS secs
        FROM customers c
        CROSS JOIN LATERAL (SELECT COALESCE(c.assigned_at, c.created_at) AS start_at) x
        LEFT JOIN LATERAL (
          SELECT min(e.occurred_at) AS at FROM customer_events e
           WHERE e.customer_id = c.id AND e.type = ANY(${contactTypes}::text[]) AND e.occurred_at >= x.start_at
        ) fc ON true
       WHERE ${s.customers()} AND ${s.inPeriod('c.created_at')}
    ), per_bucket AS (SELECT bucket, ${STATS} FROM timed GROUP BY bucket)
    SELECT json_build_object(
      'totals', (SELECT json_build_object(${statsJson('t')}) FROM (SELECT ${STATS} FROM timed) t),
      'byChannel', ${jsonRows(`json_build_object('channel', x.channel, ${statsJson('x')})`, `(SELECT channel, ${STATS} FROM timed GROUP BY channel) x`, 'x.customers DESC, x.channel')},
      'byOwner', ${jsonRows(
        `json_build_object('ownerId', x.owner_id, 'ownerName', o.name, ${statsJson('x')})`,
        `(SELECT owner_id, ${STATS} FROM timed GROUP BY owner_id) x LEFT JOIN owners o ON o.id = x.owner_id`,
        'x.owner_id IS NULL, x.customers DESC, x.owner_id',
      )},
      'series', ${jsonRows(`json_build_object('period', b.period, 'start', b.start_iso, ${statsJson('p')})`, `buckets b LEFT JOIN per_bucket p ON p.bucket = b.idx`, 'b.idx')}
    ) AS report`;
  return { sql, params: s.params };
}
