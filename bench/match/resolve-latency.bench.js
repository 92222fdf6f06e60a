#!/usr/bin/env node
// Single-record resolution latency against a store of 1,000,000 customers.
//   npm run bench:resolve        (BENCH_CUSTOMERS=1000000, BENCH_SAMPLES=2000)
// Seeds the store in bulk (customers with a phone, an email, a name, a city and the store's own
// blocking keys, through the same helpers the store uses), then times one `resolve` (read-only,
// what customer.resolve does) and one `upsert` (resolve + write, what customer.upsert does) per
// record, sequentially, for a mix of records: an existing phone in another format, an existing
// email, a new person with a common name in a common city (the fuzzy path), and a new person.
// Prints one line: customers=… resolve_p50_ms=… resolve_p99_ms=… upsert_p50_ms=… upsert_p99_ms=…
// REMATCH=1 then times customer.rematch (a dry run) over the whole store: rematch_s=… rematch_peak_rss_mb=…
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort, startEmbeddedPostgres, ensureDatabase } from '../../libs/dev-services/dist/index.js';
import { createDataSource, runMigrations } from '../../libs/runtime/dist/index.js';
import { CustomerStore, STORE_MATCH_CONFIG } from '../../libs/customer-store/dist/index.js';
import { matchKeysOf } from '../../libs/customer-store/dist/record-fields.util.js';

const N = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES || 2000);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '西安', '重庆'];
const person = (n) => ({
  phone: `+86139${String(52700000 + n * 7).padStart(8, '0')}`,
  email: `user${n}@corp-mail.cn`,
  name: SURNAMES[n % SURNAMES.length] + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length],
  city: CITIES[n % CITIES.length],
});

const work = mkdtempSync(join(tmpdir(), 'tributary-resolve-'));
chmodSync(work, 0o755);
const pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), persistent: false, settings: { shared_buffers: '512MB', max_wal_size: '4GB', synchronous_commit: 'off' } });
const dbUrl = await ensureDatabase(pg.url, 'resolve_bench');
let ds = createDataSource({ url: dbUrl, poolSize: 4 });
try {
  await ds.initialize();
  await runMigrations(ds);
  const t0 = Date.now();
  const CHUNK = 20_000;
  const at = new Date().toISOString();
  for (let start = 0; start < N; start += CHUNK) {
    const ids = [], attrs = [], names = [], phones = [], emails = [], keyCust = [], keyVals = [];
    for (let n = start; n < Math.min(N, start + CHUNK); n++) {
      const p = person(n);
      const id = randomUUID();
      const prov = { source: 'seed', flowId: 'seed', flowVersion: 1, runId: 'seed', nodeId: 'seed', updatedAt: at };
      const attributes = { name: { value: p.name, ...prov }, city: { value: p.city, ...prov } };
      ids.push(id);
      attrs.push(JSON.stringify(attributes));
      names.push(p.name);
      phones.push(p.phone);
      emails.push(p.email);
      for (const k of matchKeysOf({ name: p.name, city: p.city }, STORE_MATCH_CONFIG)) {
        keyCust.push(id);
        keyVals.push(k);
      }
    }
    await ds.query(
      `INSERT INTO customers (id, display_name, attributes, created_at, updated_at)
       SELECT id, name, attrs, now(), now() FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS v(id, name, attrs)`,
      [ids, names, attrs],
    );
    await ds.query(
      `INSERT INTO customer_identities (id, customer_id, type, value, raw_value, source, first_seen, last_seen)
       SELECT gen_random_uuid(), c, t, v, v, 'seed', now(), now()
       FROM (SELECT unnest($1::uuid[]) AS c, 'phone' AS t, unnest($2::text[]) AS v
             UNION ALL SELECT unnest($1::uuid[]), 'email', unnest($3::text[])) s`,
      [ids, phones, emails],
    );
    if (keyVals.length) await ds.query(`INSERT INTO customer_match_keys (customer_id, key) SELECT * FROM unnest($1::uuid[], $2::text[])`, [keyCust, keyVals]);
  }
  await ds.query('VACUUM ANALYZE');
  const seedS = (Date.now() - t0) / 1000;
  console.error(`[bench] seeded ${N} customers in ${seedS.toFixed(0)} s`);
  // The seed skips the WAL flush; the measured writes commit durably, as in production.
  await ds.query(`ALTER DATABASE resolve_bench SET synchronous_commit = on`);
  await ds.destroy();
  ds = createDataSource({ url: dbUrl, poolSize: 4 });
  await ds.initialize();

  const store = new CustomerStore(ds);
  const sample = (i) => {
    const n = Math.floor((i * 7919) % N);
    const p = person(n);
    const national = p.phone.slice(3);
    switch (i % 4) {
      case 0: return { identities: [{ type: 'phone', value: `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}` }], attributes: { name: p.name } };
      case 1: return { identities: [{ type: 'email', value: p.email.toUpperCase() }], attributes: { name: p.name } };
      case 2: return { identities: [{ type: 'phone', value: `158${String(27300000 + i).padStart(8, '0')}` }], attributes: { name: p.name, city: p.city } };
      default: return { identities: [{ type: 'email', value: `newcomer${i}@corp-mail.cn` }], attributes: { name: '欧阳' + GIVEN[i % GIVEN.length] } };
    }
  };
  const pct = (xs, q) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  const resolveMs = [];
  for (let i = 0; i < SAMPLES; i++) {
    const s = process.hrtime.bigint();
    await store.resolve([sample(i)]);
    resolveMs.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const upsertMs = [];
  const kinds = {};
  for (let i = 0; i < SAMPLES; i++) {
    const input = sample(i);
    const s = process.hrtime.bigint();
    const [r] = await store.upsert([{ ...input, attributes: input.attributes, idempotencyKey: `bench:${i}`, provenance: { source: 'bench', flowId: 'bench', flowVersion: 1, runId: `r${i}`, nodeId: 'upsert' } }]);
    upsertMs.push(Number(process.hrtime.bigint() - s) / 1e6);
    kinds[r.resolution?.kind ?? 'unknown'] = (kinds[r.resolution?.kind ?? 'unknown'] ?? 0) + 1;
  }
  console.error(`[bench] seeded ${N} customers in ${seedS.toFixed(0)} s; upsert decisions ${JSON.stringify(kinds)}`);

  // REMATCH=1: customer.rematch over the whole store (dry run: these customers are all different
  // people, so it reads and compares everything and has nothing to write), with this process's peak RSS.
  // Run with a smaller heap (node --max-old-space-size=…) it resolves them a page at a time: rematch_paged=1.
  let rematch = '';
  if (process.env.REMATCH === '1') {
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const r0 = Date.now();
    const summary = await store.rematch({ dryRun: true });
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.error(`[bench] rematch ${JSON.stringify(summary)}`);
    rematch = ` rematch_s=${((Date.now() - r0) / 1000).toFixed(1)} rematch_links=${summary.links} rematch_peak_rss_mb=${Math.round(peak / 1048576)}` +
      (summary.paged ? ' rematch_paged=1' : '');
  }
  console.log(
    `customers=${N} samples=${SAMPLES} resolve_p50_ms=${pct(resolveMs, 0.5).toFixed(2)} resolve_p99_ms=${pct(resolveMs, 0.99).toFixed(2)} ` +
      `upsert_p50_ms=${pct(upsertMs, 0.5).toFixed(2)} upsert_p99_ms=${pct(upsertMs, 0.99).toFixed(2)}` +
      rematch,
  );
} finally {
  await ds.destroy().catch(() => undefined);
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
