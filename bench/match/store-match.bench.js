#!/usr/bin/env node
// `npm run bench:store-match`: identity-resolution quality of the customer store itself, the
// path every flow takes (customer.upsert), on the same synthetic Chinese data as bench:match.
//
//   SYNTH_PEOPLE=50000 BATCH=100 npm run bench:store-match
//
// The generator's records arrive in time order (created_at), each as the upsert input a flow
// would build: its identifier columns as identities (phone, email, wechat_unionid,
// wechat_openid, wecom_external_userid, pos_member_id), name / company / city / title as
// attributes, its channel as the source and the event. They are written in batches of BATCH
// inputs, one after the other, through CustomerStore on an embedded Postgres. A record the
// store refuses (no usable identity: a masked phone alone, a nickname alone) is counted and
// stands alone. The customers the store ends with (merges followed) are scored against the
// truth, pairwise and B-cubed, beside `tributary match` on the same file. The store resolves
// record by record, against what it holds at that moment, with the store's narrower blocking
// keys (name + city, name + company) and without the batch matcher's cluster-level passes,
// which need the whole file; what that costs is what this bench measures. It also says how many of
// the pending review items are one person: the share of the queue a person deciding it should merge.
// Prints one summary line.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, f3, readCsv } from './evaluate.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const { freePort, startEmbeddedPostgres, ensureDatabase } = await import(join(root, 'libs/dev-services/dist/index.js'));
const { createDataSource, runMigrations } = await import(join(root, 'libs/runtime/dist/index.js'));
const { CustomerStore, CustomerStoreError } = await import(join(root, 'libs/customer-store/dist/index.js'));

const PEOPLE = Number(process.env.SYNTH_PEOPLE ?? 50_000);
const BATCH = Math.max(1, Number(process.env.BATCH ?? 100));
const SEED = Number(process.env.SEED ?? 7);
// KEEP=1 keeps the work directory, with the store's customers per record (store-clusters.csv, for gap.js).
const KEEP = Boolean(process.env.KEEP);
// REMATCH=0 leaves out customer.rematch over the store at the end. REMATCH_SCOPE=changed runs it
// with scope changed from a watermark at the epoch: every customer resolved one at a time, as a
// delivery is (its cost per changed customer, and what that finds on the same data). A list
// (REMATCH_SCOPE=changed,all) runs one after the other, each scope under a key of its own.
const REMATCH = process.env.REMATCH !== '0';
const REMATCH_SCOPES = (process.env.REMATCH_SCOPE || 'all').split(',').map((s) => s.trim());
if (REMATCH_SCOPES.some((s) => s !== 'all' && s !== 'changed')) throw new Error(`REMATCH_SCOPE: all, changed or a list of them, not ${process.env.REMATCH_SCOPE}`);
// REMATCH_RUNS=2 runs it (the list) again at once (scope changed: the customers the first run changed).
const REMATCH_RUNS = Math.max(1, Number(process.env.REMATCH_RUNS ?? 1));
const IDENTITY_COLUMNS = ['phone', 'email', 'wechat_unionid', 'wechat_openid', 'wecom_external_userid', 'pos_member_id'];
const ATTRIBUTE_COLUMNS = ['name', 'company', 'city', 'title'];
// What each channel's record is on the customer's timeline.
const EVENT_OF = {
  web_form: 'form_submitted',
  meta_lead: 'lead_ad_submitted',
  douyin_lead: 'lead_ad_submitted',
  baidu_lead: 'lead_ad_submitted',
  wechat_oa: 'wechat_subscribed',
  wecom: 'wecom_contact_added',
  pos: 'pos_purchase',
  helpdesk: 'ticket_opened',
  ecommerce: 'order_placed',
};

function inputOf(row, batchNo) {
  const attributes = {};
  for (const c of ATTRIBUTE_COLUMNS) if (row[c]) attributes[c] = row[c];
  return {
    idempotencyKey: `synthetic:${row.record_id}`,
    identities: IDENTITY_COLUMNS.filter((c) => row[c]).map((type) => ({ type, value: row[type] })),
    attributes,
    event: { type: EVENT_OF[row.channel] ?? 'profile_updated', occurredAt: row.created_at },
    provenance: { source: row.channel, flowId: 'bench-store-match', flowVersion: 1, runId: `batch-${batchNo}`, nodeId: 'upsert' },
  };
}

const work = mkdtempSync(join(tmpdir(), 'tributary-store-match-'));
chmodSync(work, 0o755);
const dataDir = join(work, 'data');
const gen = spawnSync(process.execPath, [join(here, 'synthetic/generate.js'), '--people', String(PEOPLE), '--seed', String(SEED), '--out', dataDir], { encoding: 'utf8' });
if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
const rows = readCsv(join(dataDir, 'records.csv'));
const truth = new Map(readCsv(join(dataDir, 'truth.csv')).map((r) => [r.record_id, r.person_id]));
// Arrival order: when each record was made, ties by id.
rows.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.record_id < b.record_id ? -1 : 1));

// The batch matcher on the same file, for comparison.
const cli = join(root, 'apps/cli/dist/main.js');
const batchOut = join(work, 'clusters.csv');
const m = spawnSync(process.execPath, ['--max-old-space-size=6144', cli, 'match', '--input', join(dataDir, 'records.csv'), '--output', batchOut], { encoding: 'utf8' });
if (m.status !== 0) throw new Error(`tributary match failed: ${m.stderr}`);
const batch = evaluate(new Map(readCsv(batchOut).map((r) => [r.record_id, r.cluster_id])), truth);

const pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), persistent: false, settings: { shared_buffers: '512MB', max_wal_size: '4GB' } });
const ds = createDataSource({ url: await ensureDatabase(pg.url, 'store_match_bench'), poolSize: 4 });
try {
  await ds.initialize();
  await runMigrations(ds);
  const store = new CustomerStore(ds);
  const customerOf = new Map();
  const decisions = new Map();
  const refused = {};
  let pending = [];
  let pendingIds = [];
  let batches = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const results = await store.upsertPrepared(pending);
    results.forEach((r, i) => {
      customerOf.set(pendingIds[i], r.customerId);
      if (KEEP) decisions.set(pendingIds[i], `${r.created ? 'new' : 'matched'} ${r.resolution.reasons[0]?.rule ?? ''}`);
    });
    pending = [];
    pendingIds = [];
  };
  const started = performance.now();
  for (const row of rows) {
    let prepared;
    try {
      prepared = store.prepare(inputOf(row, batches));
    } catch (err) {
      if (!(err instanceof CustomerStoreError)) throw err;
      refused[err.code] = (refused[err.code] ?? 0) + 1;
      continue;
    }
    pending.push(prepared);
    pendingIds.push(row.record_id);
    if (pending.length >= BATCH) {
      await flush();
      batches++;
    }
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;

  // The store's customers as a clustering of the records (merged customers count as their
  // survivor), and its review queue with how many of its items are one person.
  const measure = async () => {
    const merged = new Map((await ds.query(`SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL`)).map((r) => [r.id, r.merged_into]));
    const live = (id) => {
      let cur = id;
      for (let i = 0; i <= merged.size && merged.has(cur); i++) cur = merged.get(cur);
      return cur;
    };
    const pred = new Map();
    for (const row of rows) pred.set(row.record_id, customerOf.has(row.record_id) ? live(customerOf.get(row.record_id)) : `refused:${row.record_id}`);
    // The person most of each customer's records belong to: a review item between two customers of one person should merge.
    const personOf = new Map();
    const counts = new Map();
    for (const [record, customer] of pred) {
      let m = counts.get(customer);
      if (!m) counts.set(customer, (m = new Map()));
      const person = truth.get(record);
      m.set(person, (m.get(person) ?? 0) + 1);
    }
    for (const [customer, m] of counts) personOf.set(customer, [...m].sort((a, b) => b[1] - a[1])[0][0]);
    const pendingReviews = await ds.query(`SELECT customer_id, candidate_id, reasons->0->>'rule' AS rule, reasons->1->>'rule' AS rule2 FROM match_reviews WHERE status = 'pending'`);
    const share = (items) => (items.length ? Math.round((100 * items.filter((r) => personOf.get(live(r.customer_id)) === personOf.get(live(r.candidate_id))).length) / items.length) : 0);
    const [{ customers }] = await ds.query(`SELECT count(*)::int AS customers FROM customers WHERE merged_into IS NULL AND erased_at IS NULL`);
    return { score: evaluate(pred, truth), pred, live, customers, pendingReviews, samePercent: share(pendingReviews), rematchQueued: pendingReviews.filter((r) => r.rule === 'rematch'), share };
  };
  const before = await measure();
  if (KEEP) {
    const lines = ['record_id,cluster_id,reason'];
    for (const row of rows) lines.push(`${row.record_id},${before.pred.get(row.record_id)},${decisions.get(row.record_id) ?? 'refused'}`);
    writeFileSync(join(work, 'store-clusters.csv'), lines.join('\n') + '\n');
    writeFileSync(
      join(work, 'store-reviews.csv'),
      ['customer_id,candidate_id,rule', ...before.pendingReviews.map((r) => `${before.live(r.customer_id)},${before.live(r.candidate_id)},${r.rule} ${r.rule2 ?? ''}`)].join('\n') + '\n',
    );
  }
  const refusedTotal = Object.values(refused).reduce((a, b) => a + b, 0);
  const stored = rows.length - refusedTotal;
  const fig = (x) => `${f3(x.pairwise.p)}/${f3(x.pairwise.r)}/${f3(x.pairwise.f1)} B-cubed F1 ${f3(x.bcubed.f1)}`;

  // customer.rematch over the store as it ends (REMATCH=0 leaves it out).
  let rematchPart = '';
  if (REMATCH) {
    if (REMATCH_SCOPES.includes('changed')) await ds.query(`INSERT INTO rematch_watermarks (key, changed_since) VALUES ('bench/changed', 'epoch')`);
    const many = REMATCH_RUNS > 1 || REMATCH_SCOPES.length > 1;
    for (let run = 1; run <= REMATCH_RUNS; run++) {
      for (const scope of REMATCH_SCOPES) {
        const t0 = performance.now();
        const summary = await store.rematch({ maxListed: 0, scope, key: `bench/${scope}` });
        const rematchSeconds = (performance.now() - t0) / 1000;
        const after = await measure();
        rematchPart +=
          ` | after customer.rematch${many ? ` run ${run}, ${scope}` : ''} (scope ${summary.scope}, ${summary.customers} customers compared) P/R/F1 ${fig(after.score)}: ${summary.merged} merged, ${summary.queued} queued (${after.share(after.rematchQueued)} % one person), ` +
          `${after.pendingReviews.length} pending reviews, ${after.customers} customers, ${rematchSeconds.toFixed(1)} s`;
      }
    }
  }

  console.error(`[bench] ${PEOPLE} people, ${rows.length} records (seed ${SEED}); refused ${JSON.stringify(refused)}; ${before.customers} customers, ${before.pendingReviews.length} pending reviews`);
  console.error(`[bench] batch (tributary match, same file): ${m.stdout.trim().split('\n').pop()}`);
  console.log(
    `bench:store-match store pairwise P/R/F1 ${fig(before.score)} ` +
      `| batch pairwise P/R/F1 ${fig(batch)} ` +
      `| ${rows.length} records, ${refusedTotal} refused, ${before.customers} customers, ${before.pendingReviews.length} pending reviews (${before.samePercent} % one person) ` +
      `| upsert ${Math.round(stored / seconds)} records/s (batches of ${BATCH}, one writer)` +
      rematchPart,
  );
} finally {
  await ds.destroy().catch(() => undefined);
  await pg.stop();
  if (!KEEP) rmSync(work, { recursive: true, force: true });
  else console.error(`[bench] kept ${work}`);
}
