import { CANCEL_EVENTS, PAID_EVENTS, PLACED_EVENTS, REFUND_EVENTS } from './report-event-types.js';
import type { ReportFilters } from './report-filters.js';
import { decimal, jsonRows, ReportSql } from './report-sql.util.js';

const amount = (e: string) => decimal(`${e}.payload ->> 'amount'`);
const currency = (e: string) => `NULLIF(upper(btrim(${e}.payload ->> 'currency')), '')`;
/** At least two decimals, as text: "128.00", "12.5" → "12.50", "0.125" stays. */
const money = (x: string) => `(CASE WHEN scale(COALESCE(${x}, 0)) < 2 THEN round(COALESCE(${x}, 0), 2) ELSE ${x} END)::text`;
const STATS = `sum(orders)::int AS orders, sum(gross) AS gross, sum(refunds) AS refunds`;
const figuresJson = (a: string, cur = `${a}.currency`) =>
  `'currency', ${cur}, 'orders', COALESCE(${a}.orders, 0), 'gross', ${money(`${a}.gross`)},
   'refunds', ${money(`${a}.refunds`)}, 'net', ${money(`${a}.gross - ${a}.refunds`)}`;

/**
 * Revenue per first channel, from the timeline, summed as numeric and kept apart per
 * currency. Each order (customer + payload.order_id) counts once: its first payment
 * (pos_purchase, order_paid), else its first placement (order_placed) while it is neither
 * paid nor reversed; it counts in the bucket of that event. Sales without an order id count
 * one by one. Refunds subtract their amount (the whole payment when they name none),
 * cancellations what is left of the payment; together never more than was paid, each in
 * its own bucket. Reversals of orders never paid reverse nothing.
 */
export function revenueSql(filters: ReportFilters): { sql: string; params: unknown[] } {
  const s = new ReportSql(filters);
  const paid = s.param([...PAID_EVENTS]);
  const placed = s.param([...PLACED_EVENTS]);
  const refund = s.param([...REFUND_EVENTS]);
  const reversal = s.param([...REFUND_EVENTS, ...CANCEL_EVENTS]);
  const sql = `
    WITH ${s.bucketsCte},
    sale AS MATERIALIZED (
      SELECT e.id, e.customer_id, e.type, e.occurred_at, e.payload ->> 'order_id' AS order_id,
             ${amount('e')} AS amount, ${currency('e')} AS currency, ${s.channel()} AS channel
        FROM customer_events e JOIN customers c ON c.id = e.customer_id
       WHERE (e.type = ANY(${paid}::text[]) OR e.type = ANY(${placed}::text[])) AND ${s.inPeriod('e.occurred_at')} AND ${s.customers()}
    ), counted AS (
      SELECT sa.* FROM sale sa
       WHERE sa.amount IS NOT NULL
         AND (sa.order_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM customer_events o
            WHERE o.customer_id = sa.customer_id AND o.payload ? 'order_id' AND o.payload ->> 'order_id' = sa.order_id AND o.id <> sa.id
              AND (
                -- a payment of the order counts instead: the first one
                (o.type = ANY(${paid}::text[]) AND ${amount('o')} IS NOT NULL
                  AND (sa.type = ANY(${placed}::text[]) OR (o.occurred_at, o.id) < (sa.occurred_at, sa.id)))
                -- an order placed twice counts once
                OR (sa.type = ANY(${placed}::text[]) AND o.type = ANY(${placed}::text[]) AND ${amount('o')} IS NOT NULL
                  AND (o.occurred_at, o.id) < (sa.occurred_at, sa.id))
                -- an order reversed before it was paid never counts
                OR (sa.type = ANY(${placed}::text[]) AND o.type = ANY(${reversal}::text[]))
              )))
    ), rev AS MATERIALIZED (
      SELECT e.id, e.customer_id, e.occurred_at, e.payload ->> 'order_id' AS order_id,
             abs(${amount('e')}) AS amount, ${currency('e')} AS currency, ${s.channel()} AS channel
        FROM customer_events e JOIN customers c ON c.id = e.customer_id
       WHERE e.type = ANY(${reversal}::text[]) AND ${s.inPeriod('e.occurred_at')} AND ${s.customers()}
    ), payment AS (
      -- what each reversed order was paid: its first payment
      SELECT DISTINCT ON (r.customer_id, r.order_id) r.customer_id, r.order_id, p.amount, p.currency
        FROM (SELECT DISTINCT customer_id, order_id FROM rev WHERE order_id IS NOT NULL) r
        JOIN LATERAL (
          SELECT e.id, e.occurred_at, ${amount('e')} AS amount, ${currency('e')} AS currency FROM customer_events e
           WHERE e.customer_id = r.customer_id AND e.payload ? 'order_id' AND e.payload ->> 'order_id' = r.order_id AND e.type = ANY(${paid}::text[])
        ) p ON p.amount IS NOT NULL
       ORDER BY r.customer_id, r.order_id, p.occurred_at, p.id
    ), steps AS (
      -- every reversal of those orders, oldest first, each taking what is left of the payment
      SELECT e.id, g.amount AS paid, g.currency, x.asked, sum(x.asked) OVER w AS upto
        FROM payment g
        JOIN customer_events e ON e.customer_id = g.customer_id AND e.payload ? 'order_id' AND e.payload ->> 'order_id' = g.order_id AND e.type = ANY(${reversal}::text[])
        CROSS JOIN LATERAL (
          SELECT CASE WHEN e.type = ANY(${refund}::text[]) THEN COALESCE(abs(${amount('e')}), g.amount) ELSE g.amount END AS asked
        ) x
      WINDOW w AS (PARTITION BY g.customer_id, g.order_id ORDER BY e.occurred_at, e.id)
    ), reversed AS (
      SELECT r.channel, r.customer_id, r.occurred_at, COALESCE(st.currency, r.currency) AS currency,
             CASE WHEN r.order_id IS NULL THEN r.amount ELSE LEAST(st.paid, st.upto) - LEAST(st.paid, st.upto - st.asked) END AS amount
        FROM rev r LEFT JOIN steps st ON st.id = r.id
       WHERE r.order_id IS NULL OR st.id IS NOT NULL
    ), flows AS MATERIALIZED (
      SELECT channel, currency, customer_id, ${s.bucket('occurred_at')} AS bucket, 1 AS orders, amount AS gross, 0::numeric AS refunds FROM counted
      UNION ALL
      SELECT channel, currency, customer_id, ${s.bucket('occurred_at')}, 0, 0::numeric, amount FROM reversed WHERE amount > 0
    ), currencies AS (
      SELECT DISTINCT currency FROM flows
      UNION ALL SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM flows)
    ), per_bucket AS (SELECT bucket, currency, ${STATS} FROM flows GROUP BY bucket, currency)
    SELECT json_build_object(
      'totals', ${jsonRows(`json_build_object(${figuresJson('t')})`, `(SELECT currency, ${STATS} FROM flows GROUP BY currency) t`, 't.currency NULLS LAST')},
      'byChannel', ${jsonRows(
        `json_build_object('channel', x.channel, ${figuresJson('x')}, 'customers', x.customers)`,
        `(SELECT channel, currency, ${STATS}, (count(DISTINCT customer_id) FILTER (WHERE orders = 1))::int AS customers FROM flows GROUP BY channel, currency) x`,
        'x.currency NULLS LAST, x.gross - x.refunds DESC, x.channel',
      )},
      'series', ${jsonRows(
        `json_build_object('period', b.period, 'start', b.start_iso, ${figuresJson('p', 'k.currency')})`,
        `buckets b CROSS JOIN currencies k LEFT JOIN per_bucket p ON p.bucket = b.idx AND p.currency IS NOT DISTINCT FROM k.currency`,
        'b.idx, k.currency NULLS LAST',
      )}
    ) AS report`;
  return { sql, params: s.params };
}
