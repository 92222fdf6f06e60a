#!/usr/bin/env node
// Segment evaluation over a store of 1,000,000 customers.
//   npm run build:ts && node bench/segments/segments.bench.js     (BENCH_CUSTOMERS=1000000, BENCH_CHANGED=10000)
// Seeds customers in bulk with SQL (score, stage, tags, an RFM tier, a subscription due date on
// a third of them, a last interaction time, two timeline events each), then, with durable
// commits, times for four typical segments:
//   - the first evaluation (POST /api/segments: every member inserted, every entry recorded),
//   - a full re-evaluation with nothing changed (the periodic pass of time-relative segments),
//   - the incremental pass after BENCH_CHANGED customers changed (the worker's steady state),
//   - a preview count of the churn-risk definition.
// Prints one line: customers=… events=… first_eval_ms=… full_pass_ms=… incremental_ms=… preview_ms=…
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres, ensureDatabase } from '../../libs/dev-services/dist/index.js';
import { createDataSource, runMigrations } from '../../libs/runtime/dist/index.js';
import { SegmentEvaluator, SegmentService } from '../../libs/customer-store/dist/index.js';

const N = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const CHANGED = Number(process.env.BENCH_CHANGED || 10_000);

const SEGMENTS = {
  // "High value = RFM top tier": 10 % of customers.
  high_value: { field: 'attributes.rfm_segment', op: 'eq', value: 'champions' },
  // "Dormant = no interaction in 90 days" (never interacted counts): about 75 %.
  dormant: { any: [{ field: 'last_interaction_at', op: 'olderThanDays', value: 90 }, { field: 'last_interaction_at', op: 'notExists' }] },
  // "Churn risk = subscription due and no contact": due within 30 days, no call or WeCom message in 30 days.
  churn_risk: {
    all: [
      { field: 'attributes.subscription_due_at', op: 'withinNextDays', value: 30 },
      { not: { event: { types: ['call', 'wecom_message'], withinDays: 30 } } },
    ],
  },
  // Hot leads: a column and a tag.
  hot: { all: [{ field: 'score', op: 'gte', value: 80 }, { not: { field: 'tags', op: 'contains', value: 'do_not_contact' } }] },
};

const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const work = mkdtempSync(join(tmpdir(), 'tributary-segments-'));
chmodSync(work, 0o755);
const pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), persistent: false, settings: { shared_buffers: '512MB', max_wal_size: '4GB', synchronous_commit: 'off', work_mem: '64MB' } });
const dbUrl = await ensureDatabase(pg.url, 'segments_bench');
let ds = createDataSource({ url: dbUrl, poolSize: 4 });
try {
  await ds.initialize();
  await runMigrations(ds);
  const t0 = Date.now();
  const CHUNK = 100_000;
  for (let start = 1; start <= N; start += CHUNK) {
    const end = Math.min(N, start + CHUNK - 1);
    await ds.query(
      `INSERT INTO customers (id, display_name, attributes, score, stage, tags, first_channel, created_at, updated_at, last_interaction_at)
       SELECT gen_random_uuid(), '客户' || g,
              jsonb_build_object(
                'rfm_segment', jsonb_build_object('value', (ARRAY['champions','loyal','potential','promising','new','need_attention','about_to_sleep','at_risk','hibernating','lost'])[1 + g % 10], 'source', 'rfm'),
                'city', jsonb_build_object('value', (ARRAY['上海','北京','杭州','深圳','成都'])[1 + g % 5], 'source', 'seed'))
              || CASE WHEN g % 3 = 0 THEN jsonb_build_object('subscription_due_at', jsonb_build_object(
                   'value', to_char((now() + ((g % 120) - 30) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'source', 'billing'))
                 ELSE '{}'::jsonb END,
              (g::bigint * 37) % 100,
              (ARRAY['lead','mql','sql','customer','churn_risk'])[1 + g % 5],
              CASE WHEN g % 7 = 0 THEN ARRAY['vip'] WHEN g % 13 = 0 THEN ARRAY['do_not_contact'] ELSE '{}'::text[] END,
              (ARRAY['webform','pos','wechat','meta','zendesk'])[1 + g % 5],
              now() - (g % 700) * interval '1 day', now() - interval '1 hour' - (g % 3600) * interval '1 second',
              CASE WHEN g % 11 = 0 THEN NULL ELSE now() - ((g::bigint * 7919) % 365) * interval '1 day' END
         FROM generate_series($1::int, $2::int) AS g`,
      [start, end],
    );
  }
  await ds.query(
    `INSERT INTO customer_events (customer_id, type, occurred_at, source, idempotency_key)
     SELECT c.id, (ARRAY['purchase','call','wecom_message','form_submitted'])[1 + (abs(hashtext(c.id::text || k)) % 4)],
            now() - (abs(hashtext(k || c.id::text)) % 365) * interval '1 day', 'seed', c.id::text || ':' || k
       FROM customers c, generate_series(1, 2) AS k`,
  );
  await ds.query('VACUUM ANALYZE');
  const [{ events }] = await ds.query(`SELECT count(*)::int AS events FROM customer_events`);
  console.error(`[bench] seeded ${N} customers and ${events} events in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  // Measured writes commit durably, as in production.
  await ds.query(`ALTER DATABASE segments_bench SET synchronous_commit = on`);
  await ds.destroy();
  ds = createDataSource({ url: dbUrl, poolSize: 4 });
  await ds.initialize();

  const evaluator = new SegmentEvaluator(ds);
  const service = new SegmentService(ds, evaluator);
  const first = {};
  const members = {};
  for (const [id, definition] of Object.entries(SEGMENTS)) {
    const t = process.hrtime.bigint();
    const seg = await service.create({ id: id.replace(/_/g, '-'), name: id, definition });
    first[id] = ms(t);
    members[id] = seg.memberCount;
  }
  await ds.query('VACUUM ANALYZE segment_members');
  const full = {};
  for (const id of Object.keys(SEGMENTS)) {
    const t = process.hrtime.bigint();
    const r = await evaluator.evaluateSegment(id.replace(/_/g, '-'));
    full[id] = ms(t);
    if (r.entered || r.left) throw new Error(`full pass of ${id} changed ${r.entered + r.left} members with nothing changed`);
  }
  // The worker's steady state: CHANGED customers updated since the last pass, all four segments evaluated for them.
  await evaluator.evaluateChanges();
  await ds.query(
    `UPDATE customers SET score = (score + 50) % 100, updated_at = clock_timestamp()
      WHERE id IN (SELECT id FROM customers TABLESAMPLE SYSTEM (5) LIMIT $1)`,
    [CHANGED],
  );
  let t = process.hrtime.bigint();
  let evaluated = 0;
  let moved = 0;
  for (;;) {
    const r = await evaluator.evaluateChanges();
    evaluated += r.customers;
    moved += r.entered + r.left;
    if (!r.more) break;
  }
  const incremental = ms(t);
  t = process.hrtime.bigint();
  const preview = await service.preview(SEGMENTS.churn_risk);
  const previewMs = ms(t);
  const fmt = (o) => Object.entries(o).map(([k, v]) => `${k}:${Math.round(v)}`).join(',');
  console.error(`[bench] members ${JSON.stringify(members)}; incremental pass evaluated ${evaluated} customers, ${moved} entries and exits`);
  console.log(
    `customers=${N} events=${events} first_eval_ms=${fmt(first)} full_pass_ms=${fmt(full)} ` +
      `incremental_ms=${Math.round(incremental)} (changed=${evaluated},segments=${Object.keys(SEGMENTS).length}) preview_ms=${Math.round(previewMs)} (count=${preview.count})`,
  );
} finally {
  await ds.destroy().catch(() => undefined);
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
