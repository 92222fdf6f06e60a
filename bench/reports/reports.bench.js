#!/usr/bin/env node
// The reports API's SQL against a store of 1,000,000 customers and ~3M timeline events.
//   npm run bench:reports        (BENCH_CUSTOMERS=1000000, BENCH_RUNS=5)
// Seeds a fresh embedded Postgres in bulk with INSERT … SELECT generate_series: customers over
// two years (more of them recently) with first channels, campaigns, stages, owners and
// assignment times; their timeline: the first record, stage changes lead → mql → sql →
// customer → churn risk → churned, owner contacts, orders (paid, placed then paid, placed then
// cancelled, refunds), other interactions and bookkeeping; plus merged and erased customers
// the reports must skip. Then runs each report (default filters: the last 30 days by day)
// BENCH_RUNS times after a warm-up and prints one line with the p50 of each, in ms. The
// figures of a one-year period by month, and of a channel filter, go to stderr.
//   BENCH_EXPLAIN=1           EXPLAIN (ANALYZE, BUFFERS) of each report to stderr
//   BENCH_DATABASE_URL=…      use that database (seeded already, or empty: it is seeded)
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres, ensureDatabase } from '../../libs/dev-services/dist/index.js';
import { createDataSource, runMigrations } from '../../libs/runtime/dist/index.js';
import { CustomerReports, REPORT_NAMES } from '../../libs/customer-store/dist/index.js';

const N = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
// Whole seconds: the seed and the reports agree on "now".
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

let pg;
let work;
let dbUrl = process.env.BENCH_DATABASE_URL;
if (!dbUrl) {
  work = mkdtempSync(join(tmpdir(), 'tributary-reports-'));
  chmodSync(work, 0o755);
  pg = await startEmbeddedPostgres({
    dir: join(work, 'pg'),
    port: await freePort(),
    persistent: false,
    settings: { shared_buffers: '1GB', max_wal_size: '8GB', synchronous_commit: 'off', maintenance_work_mem: '512MB', checkpoint_timeout: '30min' },
  });
  dbUrl = await ensureDatabase(pg.url, 'reports_bench');
}
const ds = createDataSource({ url: dbUrl, poolSize: 4 });
try {
  await ds.initialize();
  await runMigrations(ds);
  const [{ n: existing }] = await ds.query(`SELECT count(*)::int AS n FROM customers`);
  if (existing === 0) await seed(ds);
  else console.error(`[bench] using the ${existing} customers already in ${dbUrl.replace(/\/\/[^@]*@/, '//')}`);
  const [{ customers, events }] = await ds.query(
    `SELECT (SELECT count(*) FROM customers WHERE merged_into IS NULL AND erased_at IS NULL)::int AS customers, (SELECT count(*) FROM customer_events)::int AS events`,
  );

  const reports = new CustomerReports(ds, { now: () => NOW });
  const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const time = async (name, query) => {
    await reports.run(name, query); // warm the cache and the plan
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      await reports.run(name, query);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return p50(ms);
  };
  const explain = async (name, query) => {
    const { sql, params } = reports.statement(name, query);
    const q = ds.createQueryRunner();
    await q.connect();
    try {
      await q.query(`BEGIN READ ONLY; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off`);
      const rows = await q.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      await q.query('ROLLBACK');
      console.error(`\n[explain] ${name} ${JSON.stringify(query)}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    } finally {
      await q.release();
    }
  };

  const variants = [
    { label: 'last 30 days by day', query: {} },
    { label: 'one year by month', query: { from: new Date(NOW.getTime() - 365 * 86_400_000).toISOString(), interval: 'month' } },
    { label: 'last 30 days, channels webform and wecom', query: { channel: 'webform,wecom' } },
  ];
  const results = {};
  for (const v of variants) {
    results[v.label] = {};
    for (const name of REPORT_NAMES) {
      if (EXPLAIN) await explain(name, v.query);
      results[v.label][name] = await time(name, v.query);
    }
    console.error(`[bench] ${v.label}: ${REPORT_NAMES.map((n) => `${n}=${results[v.label][n].toFixed(0)}ms`).join(' ')}`);
  }
  const main = results[variants[0].label];
  console.log(
    `customers=${customers} events=${events} runs=${RUNS} ` + REPORT_NAMES.map((n) => `${n.replace('-', '_')}_p50_ms=${main[n].toFixed(0)}`).join(' '),
  );
} finally {
  await ds.destroy().catch(() => undefined);
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}

/** Everything generated in SQL from a deterministic hash of the row number: the same data every run. */
async function seed(ds) {
  const t0 = Date.now();
  const step = async (label, sql, params = []) => {
    const t = Date.now();
    await ds.query(sql, params);
    console.error(`[bench] ${label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  };
  const now = NOW.toISOString();
  // The temporary function lives on one connection: every statement below runs on it.
  const q = ds.createQueryRunner();
  await q.connect();
  const run = async (label, sql, params = []) => {
    const t = Date.now();
    await q.query(sql, params);
    console.error(`[bench] ${label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  };
  try {
    // r(n, salt) ∈ [0, 1): a hash of the row number, uniform enough for test data.
    await q.query(`
      CREATE OR REPLACE FUNCTION pg_temp.r(n bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (hashint8(n * 7919 + salt)::bigint + 2147483648) / 4294967296.0 $$`);
    await q.query(`SET work_mem = '256MB'`);
    await run(
      'owners',
      `INSERT INTO owners (id, name, email, capacity)
       SELECT 'owner-' || i, '销售' || i, 'sales' || i || '@example.cn', 5000 FROM generate_series(1, 50) i`,
    );
    // One row per customer with what its events are derived from. Stage k: 0 lead … 5 churned.
    await run(
      'seed plan',
      `CREATE TEMP TABLE plan AS
       SELECT n, id, created_at, channel, k, owner_id, assigned_at,
              CASE WHEN k > 0 THEN created_at + LEAST($1::timestamptz - created_at, interval '120 days') * ((k + pg_temp.r(n, 10 + k) * 0.5) / (k + 1)) END AS stage_changed_at,
              CASE WHEN n % 100 = 0 THEN 'merged' WHEN n % 1000 = 1 THEN 'erased' END AS fate
         FROM (
           SELECT n, lpad(to_hex(n), 32, '0')::uuid AS id,
                  $1::timestamptz - interval '730 days' + interval '730 days' * sqrt((n - pg_temp.r(n, 0)) / $2::float8) AS created_at,
                  CASE WHEN c < 0.30 THEN 'webform' WHEN c < 0.50 THEN 'wecom' WHEN c < 0.60 THEN 'meta_leads' WHEN c < 0.68 THEN 'baidu'
                       WHEN c < 0.76 THEN 'douyin' WHEN c < 0.91 THEN 'pos' WHEN c < 0.98 THEN 'youzan' ELSE 'zendesk' END AS channel,
                  CASE WHEN s < 0.62 THEN 0 WHEN s < 0.80 THEN 1 WHEN s < 0.88 THEN 2 WHEN s < 0.96 THEN 3 WHEN s < 0.985 THEN 4 ELSE 5 END AS k,
                  CASE WHEN o < 0.8 THEN 'owner-' || (1 + floor(pg_temp.r(n, 4) * 50))::int END AS owner_id,
                  CASE WHEN o < 0.8 THEN pg_temp.r(n, 5) * interval '6 hours' END AS assign_lag
             FROM (SELECT n, pg_temp.r(n, 1) AS c, pg_temp.r(n, 2) AS s, pg_temp.r(n, 3) AS o FROM generate_series(1, $2::int) n) g
         ) x
         CROSS JOIN LATERAL (SELECT x.created_at + x.assign_lag AS assigned_at) a`,
      [now, N],
    );
    await q.query(`ALTER TABLE plan ADD PRIMARY KEY (n)`);
    // The timeline, staged first so that customers can be written with their last interaction.
    await run(
      'events: first records',
      `CREATE TEMP TABLE ev AS
       SELECT p.id AS customer_id, p.n,
              CASE p.channel WHEN 'webform' THEN 'form_submitted' WHEN 'wecom' THEN 'wecom_contact_added' WHEN 'pos' THEN 'pos_member_created'
                             WHEN 'youzan' THEN 'pos_member_created' WHEN 'zendesk' THEN 'ticket_opened' ELSE 'lead_received' END AS type,
              p.created_at AS occurred_at,
              jsonb_build_object('name', '客户' || p.n, 'phone', '1390000' || lpad((p.n % 10000)::text, 4, '0'), 'city', (ARRAY['上海','北京','杭州','深圳'])[1 + p.n % 4]) AS payload,
              p.channel AS source, 'seed:first:' || p.n AS key
         FROM plan p WHERE p.fate IS DISTINCT FROM 'merged'`,
    );
    await run(
      'events: stage changes',
      `INSERT INTO ev
       SELECT p.id, p.n, 'stage_changed',
              p.created_at + LEAST($1::timestamptz - p.created_at, interval '120 days') * ((j + pg_temp.r(p.n, 10 + j) * 0.5) / (p.k + 1)),
              jsonb_build_object('from', (ARRAY['lead','mql','sql','customer','churn_risk','churned'])[j], 'to', (ARRAY['lead','mql','sql','customer','churn_risk','churned'])[j + 1], 'rule', 'threshold', 'score', 20 * j),
              'customer.score', 'seed:stage:' || p.n || ':' || j
         FROM plan p CROSS JOIN LATERAL generate_series(1, p.k) j
        WHERE p.k > 0 AND p.fate IS DISTINCT FROM 'merged'`,
      [now],
    );
    await run(
      'events: owner contacts',
      `INSERT INTO ev
       SELECT p.id, p.n, CASE WHEN pg_temp.r(p.n, 8) < 0.6 THEN 'task_completed' ELSE 'contacted' END,
              LEAST(p.assigned_at + pg_temp.r(p.n, 7) ^ 2 * interval '72 hours', $1::timestamptz - interval '1 second'),
              jsonb_build_object('ownerId', p.owner_id, 'note', '电话沟通'), 'owner', 'seed:contact:' || p.n
         FROM plan p
        WHERE p.owner_id IS NOT NULL AND pg_temp.r(p.n, 6) < 0.75 AND p.fate IS DISTINCT FROM 'merged'
          AND p.assigned_at + pg_temp.r(p.n, 7) ^ 2 * interval '72 hours' < $1::timestamptz`,
      [now],
    );
    // Orders: customers (stage ≥ customer) buy 1–4 times, POS and Youzan members 1–2 times.
    await q.query(`
      CREATE TEMP TABLE orders AS
      SELECT p.id, p.n, m, p.channel,
             p.created_at + ($1::timestamptz - p.created_at) * pg_temp.r(p.n, 30 + m) AS at,
             round((19.9 + pg_temp.r(p.n, 40 + m) ^ 2 * 2000)::numeric, 2) AS amount,
             pg_temp.r(p.n, 50 + m) AS fate
        FROM plan p
        CROSS JOIN LATERAL generate_series(1, CASE WHEN p.k >= 3 THEN 1 + floor(pg_temp.r(p.n, 20) * 4)::int
                                                   WHEN p.channel IN ('pos', 'youzan') THEN 1 + floor(pg_temp.r(p.n, 20) * 2)::int ELSE 0 END) m
       WHERE p.fate IS DISTINCT FROM 'merged'`, [now]);
    await run(
      'events: orders',
      `INSERT INTO ev
       SELECT o.id, o.n, t.type, o.at + t.lag, jsonb_build_object('order_id', 'o' || o.n || '-' || o.m, 'amount', t.amount::text, 'currency', 'CNY', 'store', 'S' || (o.n % 40)),
              o.channel, 'seed:order:' || o.n || ':' || o.m || ':' || t.type
         FROM orders o
         CROSS JOIN LATERAL (
           SELECT * FROM (VALUES
             -- Youzan: placed, then paid (95%) or closed unpaid; elsewhere one payment or POS purchase.
             (CASE WHEN o.channel = 'youzan' THEN 'order_placed' END, interval '0', o.amount),
             (CASE WHEN o.channel = 'youzan' AND o.fate >= 0.05 THEN 'order_paid' WHEN o.channel = 'pos' THEN 'pos_purchase' WHEN o.channel <> 'youzan' THEN 'order_paid' END, interval '10 minutes', o.amount),
             (CASE WHEN o.channel = 'youzan' AND o.fate < 0.05 THEN 'order_cancelled' END, interval '1 day', o.amount),
             -- 4% of payments partly refunded three days later.
             (CASE WHEN o.fate >= 0.05 AND o.fate < 0.09 THEN 'order_refunded' END, interval '3 days', round(o.amount / 2, 2))
           ) v(type, lag, amount) WHERE v.type IS NOT NULL
         ) t
        WHERE o.at + t.lag < $1::timestamptz`,
      [now],
    );
    await run(
      'events: other interactions and bookkeeping',
      `INSERT INTO ev
       SELECT p.id, p.n, t.type, p.created_at + ($1::timestamptz - p.created_at) * pg_temp.r(p.n, t.salt), '{"campaign":"newsletter"}'::jsonb, t.source, 'seed:' || t.type || ':' || p.n
         FROM plan p
         CROSS JOIN (VALUES ('email_opened', 60, 'email', 0.15), ('score_changed', 61, 'customer.score', 0.05)) t(type, salt, source, share)
        WHERE pg_temp.r(p.n, t.salt + 100) < t.share AND p.fate IS DISTINCT FROM 'merged'`,
      [now],
    );
    const campaign = (ch) => `(ARRAY['${ch}-spring','${ch}-summer','${ch}-brand','${ch}-retarget','${ch}-618','${ch}-double11'])[1 + p.n % 6]`;
    const prov = `'source', p.channel, 'flowId', 'seed', 'flowVersion', 1, 'runId', 'seed', 'nodeId', 'save', 'updatedAt', p.created_at`;
    await run(
      'customers',
      `INSERT INTO customers (id, display_name, attributes, score, stage, owner_id, tags, merged_into, erased_at, created_at, updated_at,
                              priority, first_channel, last_interaction_at, assigned_at, stage_changed_at, score_updated_at)
       SELECT p.id, '客户' || p.n,
              jsonb_build_object('name', jsonb_build_object('value', '客户' || p.n, ${prov}), 'city', jsonb_build_object('value', (ARRAY['上海','北京','杭州','深圳'])[1 + p.n % 4], ${prov}))
              || CASE WHEN p.channel = 'webform' AND p.n % 3 > 0 THEN jsonb_build_object('utm_campaign', jsonb_build_object('value', ${campaign('web')}, ${prov}))
                      WHEN p.channel IN ('meta_leads', 'baidu', 'douyin') THEN jsonb_build_object(
                        'campaign_id', jsonb_build_object('value', (1000 + p.n % 6)::text, ${prov}), 'campaign_name', jsonb_build_object('value', ${campaign('ads')}, ${prov}))
                      ELSE '{}'::jsonb END,
              20 * p.k, (ARRAY['lead','mql','sql','customer','churn_risk','churned'])[p.k + 1], p.owner_id,
              CASE WHEN p.k >= 3 THEN ARRAY['buyer'] ELSE '{}' END,
              CASE WHEN p.fate = 'merged' THEN lpad(to_hex(p.n - 1), 32, '0')::uuid END,
              CASE WHEN p.fate = 'erased' THEN $1::timestamptz - interval '1 day' END,
              p.created_at, GREATEST(p.created_at, l.last), CASE WHEN p.k >= 2 THEN 'high' END, p.channel,
              CASE WHEN p.fate = 'merged' THEN NULL ELSE l.last END, p.assigned_at, p.stage_changed_at, p.stage_changed_at
         FROM plan p
         LEFT JOIN (SELECT customer_id, max(occurred_at) AS last FROM ev WHERE type NOT IN ('stage_changed', 'score_changed') GROUP BY customer_id) l ON l.customer_id = p.id
        ORDER BY p.n`,
      [now],
    );
    // In arrival order, as a live store would have them.
    await run(
      'customer_events',
      `INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key, created, recorded_at)
       SELECT e.customer_id, e.type, e.occurred_at, CASE WHEN p.fate = 'erased' THEN NULL ELSE e.payload END, e.source, 'seed', 1, 'seed-run-' || (e.n % 100000), 'save',
              e.key, e.type IN ('form_submitted', 'wecom_contact_added', 'pos_member_created', 'ticket_opened', 'lead_received'), e.occurred_at
         FROM ev e JOIN plan p ON p.n = e.n
        ORDER BY e.occurred_at`,
    );
    await q.query(`DROP TABLE ev, orders, plan`);
  } finally {
    await q.release();
  }
  await step('vacuum analyze', 'VACUUM ANALYZE');
  console.error(`[bench] seeded ${N} customers in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
