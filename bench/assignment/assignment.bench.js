#!/usr/bin/env node
// customer.assign, customer.task and the task list against BENCH_CUSTOMERS customers (default 1,000,000).
//   npx tsc -b libs/customer-store && node bench/assignment/assignment.bench.js
// Seeds a fresh embedded Postgres in bulk: 50 owners in 5 teams of 10; 60 % of customers owned
// (about 12,000 per owner, 80 % of them open leads); 300,000 tasks. Times one assignment
// (round-robin, least-loaded, round-robin with capacities), many at once on 4 pools on one team,
// one task created, and the task lists the API serves. Prints one summary line.
import { chmodSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const ROOT = process.env.ROOT || process.cwd();
const { ensureDatabase, freePort, startEmbeddedPostgres } = await import(join(ROOT, 'libs/dev-services/dist/index.js'));
const { CustomerStore, openCustomerStoreDataSource } = await import(join(ROOT, 'libs/customer-store/dist/index.js'));

const N = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const SKIP = process.env.BENCH_SKIP_TASKS;
const work = mkdtempSync(join(tmpdir(), 'tributary-assign-'));
chmodSync(work, 0o755);
const pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), persistent: false, settings: { shared_buffers: '512MB', max_wal_size: '8GB', synchronous_commit: 'off', maintenance_work_mem: '512MB' } });
const dbUrl = await ensureDatabase(pg.url, 'assign_bench');
const ds = await openCustomerStoreDataSource({ url: dbUrl, poolSize: 4 });
const pools = [ds];
try {
  const t0 = Date.now();
  await ds.query(
    `INSERT INTO customers (id, display_name, attributes, stage, owner_id, created_at, updated_at)
     SELECT gen_random_uuid(), 'c' || g, jsonb_build_object('city', jsonb_build_object('value', CASE WHEN g % 3 = 0 THEN '上海' ELSE '成都' END)),
            CASE WHEN g % 10 < 2 THEN 'customer' ELSE 'lead' END,
            CASE WHEN g % 5 < 3 THEN 'o' || ((g / 7) % 50) ELSE NULL END, now(), now()
       FROM generate_series(1, $1) g`,
    [N],
  );
  await ds.query(`INSERT INTO owners (id, name, capacity) SELECT 'o' || k, 'Owner ' || k, NULL FROM generate_series(0, 49) k`);
  await ds.query(`INSERT INTO teams (id, name, lead_owner_id) SELECT 't' || k, 'Team ' || k, 'o' || (k * 10) FROM generate_series(0, 4) k`);
  await ds.query(`INSERT INTO team_members (team_id, owner_id, position) SELECT 't' || (k / 10), 'o' || k, k % 10 FROM generate_series(0, 49) k`);
  await ds.query(
    `INSERT INTO tasks (customer_id, owner_id, title, due_at, status, idempotency_key, created_at)
     SELECT id, owner_id, 'follow up', now() + ((abs(hashtext(id::text)) % 240) - 120) * interval '1 hour',
            (ARRAY['open','done','cancelled'])[1 + abs(hashtext(id::text || 's')) % 3], 'seed:' || id, now()
       FROM customers WHERE owner_id IS NOT NULL LIMIT 300000`,
  );
  if (process.env.BENCH_INDEX) await ds.query(process.env.BENCH_INDEX);
  await ds.query('VACUUM ANALYZE');
  const seeded = (Date.now() - t0) / 1000;
  const members = Array.from({ length: 10 }, (_, i) => 'o' + i);
  for (const sql of [
    `EXPLAIN (ANALYZE, BUFFERS) SELECT owner_id, count(*)::int AS n FROM customers WHERE owner_id = ANY($1::text[]) AND merged_into IS NULL AND erased_at IS NULL AND NOT (stage = ANY($2::text[])) GROUP BY owner_id`,
  ]) console.error((await ds.query(sql, [members, ['customer', 'churned']])).map((r) => r['QUERY PLAN']).join('\n'));
  if (process.env.BENCH_EXPLAIN_ONLY) process.exit(0);
  const free = (await ds.query(`SELECT id FROM customers WHERE owner_id IS NULL LIMIT 3000`)).map((r) => r.id);
  const store = new CustomerStore(ds);
  const base = { rules: [{ name: 'sh', when: [{ field: 'city', op: 'eq', value: '上海' }], team: 't1' }], defaultTeam: 't0', workingHours: 'prefer', sticky: 'keep', closedStages: ['customer', 'churned'] };
  let k = 0;
  const req = (id) => ({ customerId: id, fields: {}, idempotencyKey: `bench:${++k}`, provenance: { source: 'bench', flowId: 'b', flowVersion: 1, runId: `r${k}`, nodeId: 'assign' } });
  const time = async (n, fn) => {
    const ms = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await fn(i);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    ms.sort((a, b) => a - b);
    return { p50: ms[Math.floor(n / 2)].toFixed(1), p95: ms[Math.floor(n * 0.95)].toFixed(1) };
  };
  let next = 0;
  const rr = await time(200, () => store.assign({ ...base, strategy: 'round_robin' }, [req(free[next++])]));
  const ll = await time(200, () => store.assign({ ...base, strategy: 'least_loaded' }, [req(free[next++])]));
  await ds.query(`UPDATE owners SET capacity = 100000`);
  const cap = await time(200, () => store.assign({ ...base, strategy: 'round_robin' }, [req(free[next++])]));
  await ds.query(`UPDATE owners SET capacity = NULL`);
  for (let i = 0; i < 3; i++) pools.push(await openCustomerStoreDataSource({ url: dbUrl, poolSize: 4, migrate: false }));
  const stores = pools.map((p) => new CustomerStore(p));
  const conc = async (strategy, count) => {
    const ids = free.slice(next, next + count);
    next += count;
    const t = Date.now();
    await Promise.all(ids.map((id, i) => stores[i % 4].assign({ ...base, rules: [], strategy }, [req(id)])));
    return Math.round((count / (Date.now() - t)) * 1000);
  };
  const concRr = await conc('round_robin', 800);
  const concLl = await conc('least_loaded', 400);
  const task = await time(200, (i) => store.createTasks([{ customerId: free[i], assignTo: { kind: 'customer_owner' }, fallback: 'unowned', title: 'bench', due: { hours: 8, businessHours: true }, idempotencyKey: `bench:task:${i}`, provenance: { source: 'bench', flowId: 'b', flowVersion: 1, runId: 'r', nodeId: 't' } }]));
  const listOwner = await time(50, (i) => store.tasks.list({ ownerId: `o${i % 50}`, status: 'open' }));
  const listDue = await time(50, () => store.tasks.list({ status: 'open', dueBefore: new Date().toISOString() }));
  const [{ per }] = await ds.query(`SELECT round(avg(n))::int AS per FROM (SELECT count(*) AS n FROM customers WHERE owner_id IS NOT NULL AND stage = 'lead' GROUP BY owner_id) x`);
  console.log(
    `assignment: ${N} customers (seeded in ${seeded.toFixed(0)} s), ~${per} open customers per owner, teams of 10, 300k tasks; ` +
      `one assignment p50/p95: round-robin ${rr.p50}/${rr.p95} ms, least-loaded ${ll.p50}/${ll.p95} ms, round-robin with capacities ${cap.p50}/${cap.p95} ms; ` +
      `4 pools on one team: round-robin ${concRr}/s, least-loaded ${concLl}/s; create a task ${task.p50}/${task.p95} ms; ` +
      `open tasks of an owner ${listOwner.p50}/${listOwner.p95} ms, open tasks due now ${listDue.p50}/${listDue.p95} ms`,
  );
} finally {
  for (const p of pools) await p.destroy();
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
