import { jsonRows, ReportSql } from './report-sql.util.js';
import type { ReportFilters } from './report-filters.js';

const attr = (field: string) => `c.attributes -> '${field}' ->> 'value'`;

/**
 * New customers in the period by first channel and by campaign (campaign_id, else
 * utm_campaign, else campaign, else campaign_name), as totals and per bucket. One pass over
 * the customers created in the period (ix_customers_created).
 */
export function leadsSql(filters: ReportFilters): { sql: string; params: unknown[] } {
  const s = new ReportSql(filters);
  const sql = `
    WITH ${s.bucketsCte},
    leads AS MATERIALIZED (
      SELECT ${s.channel()} AS channel,
             NULLIF(COALESCE(${attr('campaign_id')}, ${attr('utm_campaign')}, ${attr('campaign')}, ${attr('campaign_name')}), '') AS campaign,
             NULLIF(COALESCE(${attr('campaign_name')}, ${attr('utm_campaign')}, ${attr('campaign')}), '') AS campaign_name,
             ${s.bucket('c.created_at')} AS bucket
        FROM customers c
       WHERE ${s.customers()} AND ${s.inPeriod('c.created_at')}
    ), per_bucket AS (
      SELECT bucket, sum(n)::int AS n, json_object_agg(channel, n ORDER BY channel) AS by_channel
        FROM (SELECT bucket, channel, count(*)::int AS n FROM leads GROUP BY bucket, channel) x
       GROUP BY bucket
    )
    SELECT json_build_object(
      'totals', json_build_object('leads', (SELECT count(*)::int FROM leads)),
      'byChannel', ${jsonRows(`json_build_object('channel', channel, 'leads', n)`, `(SELECT channel, count(*)::int AS n FROM leads GROUP BY channel) x`, 'n DESC, channel')},
      'byCampaign', ${jsonRows(
        `json_build_object('channel', channel, 'campaign', campaign, 'campaignName', name, 'leads', n)`,
        `(SELECT channel, campaign, max(campaign_name) AS name, count(*)::int AS n FROM leads GROUP BY channel, campaign) x`,
        'n DESC, channel, campaign NULLS LAST',
      )},
      'series', ${jsonRows(
        `json_build_object('period', b.period, 'start', b.start_iso, 'leads', COALESCE(p.n, 0), 'byChannel', COALESCE(p.by_channel, '{}'::json))`,
        `buckets b LEFT JOIN per_bucket p ON p.bucket = b.idx`,
        'b.idx',
      )}
    ) AS report`;
  return { sql, params: s.params };
}
