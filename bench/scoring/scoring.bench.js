#!/usr/bin/env node
// customer.score and customer.rescore against a store of BENCH_CUSTOMERS customers (default 1,000,000).
//   npx tsc -b libs/customer-store && node bench/scoring/scoring.bench.js
// Seeds a fresh embedded Postgres in bulk (INSERT … SELECT generate_series): customers with
// scores changed 0–60 days ago, each with a few timeline events (replies, sales contacts)
// and a third of them with 1–4 orders. Then times: one item scored (p50 of 200, one
// transaction each), a rules rescore (decay + one inactivity rule + thresholds) over every
// customer, the same rescore again the same day (only those unchanged are visited, none
// changes), and an RFM rescore with quintiles. Prints one summary line.
//   BENCH_DATABASE_URL=…      use that database (seeded already, or empty: it is seeded)
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../../libs/dev-services/dist/index.js';
import { CustomerStore, openCustomerStoreDataSource } from '../../libs/customer-store/dist/index.js';

const N = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH || 1000);

let pg;
let work;
let dbUrl = process.env.BENCH_DATABASE_URL;
if (!dbUrl) {
  work = mkdtempSync(join(tmpdir(), 'tributary-scoring-'));
  chmodSync(work, 0o755);
  pg = await startEmbeddedPostgres({
    dir: join(work, 'pg'),
    port: await freePort(),
    persistent: false,
    settings: { shared_buffers: '512MB', max_wal_size: '8GB', synchronous_commit: 'off', maintenance_work_mem: '512MB', checkpoint_timeout: '30min' },
  });
  dbUrl = await ensureDatabase(pg.url, 'scoring_bench');
}
const ds = await openCustomerStoreDataSource({ url: dbUrl, poolSize: 4 });
try {
  const [{ n: existing }] = await ds.query(`SELECT count(*)::int AS n FROM customers`);
  if (existing === 0) await seed(ds);
  const [{ customers, events }] = await ds.query(
    `SELECT (SELECT count(*) FROM customers WHERE merged_into IS NULL AND erased_at IS NULL)::int AS customers, (SELECT count(*) FROM customer_events)::int AS events`,
  );
  const now = new Date();
  const store = new CustomerStore(ds, { now: () => now });
  const provenance = { source: 'bench', flowId: 'bench', flowVersion: 1, runId: 'bench', nodeId: 'score' };
  const rules = {
    rules: [
      { id: 'trial_form', when: { eventTypes: ['trial_form_submitted'] }, points: 30, oncePerCustomer: true },
      { id: 'director', when: { attributes: [{ field: 'title', contains: '总监' }] }, points: 5, oncePerCustomer: true },
      { id: 'quote', when: { eventTypes: ['quote_email_opened'] }, points: 10 },
    ],
    decay: { halfLifeDays: 30 },
    inactivity: [{ id: 'no_reply_3d', activity: ['message_received'], since: ['sales_contacted'], days: 3, points: -10 }],
    floor: 0,
    cap: 100,
    thresholds: [
      { id: 'hot', min: 80, priority: 'hot', stage: 'SQL', tags: ['hot'] },
      { id: 'warm', min: 40, priority: 'warm', stage: 'MQL' },
      { id: 'cold', priority: 'cold', emit: 'none' },
    ],
  };

  const ids = (await ds.query(`SELECT id FROM customers TABLESAMPLE SYSTEM (1) LIMIT 200`)).map((r) => r.id);
  const single = [];
  for (const [i, id] of ids.entries()) {
    const t = process.hrtime.bigint();
    await store.score({ config: rules, items: [{ customerId: id, idempotencyKey: `bench:one:${i}`, item: { title: '市场总监' }, eventType: 'trial_form_submitted' }], provenance });
    single.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  single.sort((a, b) => a - b);

  const request = { model: 'rules', rules, scope: 'bench:rescore', provenance, batchSize: BATCH };
  const r1 = await store.rescore(request);
  const r2 = await store.rescore(request);
  const rfm = await store.rescore({ model: 'rfm', rfm: { method: 'quintiles', lookbackDays: 365 }, scope: 'bench:rfm', provenance, batchSize: BATCH });
  console.error(`[bench] rules rescore: ${JSON.stringify({ ...r1, crossed: undefined })}`);
  console.error(`[bench] rfm rescore: ${JSON.stringify({ ...rfm, crossed: undefined })}`);
  const perSec = (s) => Math.round((s.customers / s.ms) * 1000);
  console.log(
    `scoring: ${customers} customers, ${events} events; score one item p50 ${single[Math.floor(single.length / 2)].toFixed(1)} ms, p95 ${single[Math.floor(single.length * 0.95)].toFixed(1)} ms; ` +
      `rules rescore ${(r1.ms / 1000).toFixed(1)} s (${perSec(r1)}/s, ${r1.changed} changed), same day again ${(r2.ms / 1000).toFixed(1)} s (${r2.customers} visited, ${r2.changed} changed); ` +
      `rfm rescore with quintiles ${(rfm.ms / 1000).toFixed(1)} s (${perSec(rfm)}/s, ${rfm.changed} changed); batch ${BATCH}`,
  );
} finally {
  await ds.destroy();
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}

async function seed(ds) {
  const t = Date.now();
  await ds.query(
    `INSERT INTO customers (id, display_name, attributes, score, score_updated_at, priority, stage, created_at, updated_at, last_interaction_at)
     SELECT gen_random_uuid(), 'c' || g, '{}'::jsonb, (g::bigint * 7919) % 100, now() - ((g % 60) || ' days')::interval, NULL, 'lead',
            now() - interval '400 days', now(), now()
       FROM generate_series(1, $1) g`,
    [N],
  );
  // Replies for everyone, a later sales contact for half (a quarter unanswered for 3+ days).
  await ds.query(
    `INSERT INTO customer_events (customer_id, type, occurred_at, source, idempotency_key)
     SELECT id, 'message_received', now() - ((abs(hashtext(id::text)) % 90) || ' days')::interval, 'seed', 'seed:m:' || id FROM customers`,
  );
  await ds.query(
    `INSERT INTO customer_events (customer_id, type, occurred_at, source, idempotency_key)
     SELECT id, 'sales_contacted', now() - ((abs(hashtext(id::text || 's')) % 10) || ' days')::interval, 'seed', 'seed:s:' || id
       FROM customers WHERE abs(hashtext(id::text)) % 2 = 0`,
  );
  await ds.query(
    `INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, idempotency_key)
     SELECT c.id, 'pos_purchase', now() - ((abs(hashtext(c.id::text || k)) % 400) || ' days')::interval,
            jsonb_build_object('order_id', c.id::text || ':' || k, 'amount', ((abs(hashtext(c.id::text || k)) % 300000) / 100.0)::numeric(12, 2)::text),
            'seed', 'seed:o:' || c.id || ':' || k
       FROM customers c CROSS JOIN LATERAL generate_series(1, 1 + abs(hashtext(c.id::text)) % 4) k
      WHERE abs(hashtext(c.id::text)) % 3 = 0`,
  );
  await ds.query(`ANALYZE`);
  console.error(`[bench] seeded ${N} customers in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
