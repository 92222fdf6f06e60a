#!/usr/bin/env node
// bench:ingest — drives the lead-intake flow over HTTP on loopback and prints one line:
//   accepted_per_s=… completed_per_s=… ack_p50_ms=… ack_p99_ms=… e2e_p99_ms=… lost=… duplicated=…
// Starts its own Postgres (embedded, durable settings as the peer harness: fsync on),
// redis-server, the API and the worker(s); load from wrk (lead.lua of the peer harness)
// or autocannon when wrk is missing. Knobs: BENCH_DURATION_S (20), BENCH_CONNECTIONS (32),
// BENCH_WORKERS (1), WORKER_CONCURRENCY (400), BENCH_QUEUE (redis|postgres), BENCH_VERBOSE=1.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, startRedisServer, findRedisServer, ensureDatabase } from '../../libs/dev-services/dist/index.js';
import { waitFor } from '../support/wait.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DURATION = Number(process.env.BENCH_DURATION_S || 20);
const CONNS = Number(process.env.BENCH_CONNECTIONS || 32);
const WORKERS = Number(process.env.BENCH_WORKERS || 1);
const QUEUE = process.env.BENCH_QUEUE || 'redis';
const verbose = !!process.env.BENCH_VERBOSE;
const log = (...a) => verbose && console.error('[bench]', ...a);

const work = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
chmodSync(work, 0o755);
const children = [];
let pgHandle, redisHandle;

async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await redisHandle?.stop();
  await pgHandle?.stop();
  rmSync(work, { recursive: true, force: true });
}

function start(script, env, name) {
  // BENCH_NODE_ARGS_API / BENCH_NODE_ARGS_WORKER: extra node flags, e.g. --cpu-prof for profiling.
  const extra = (process.env[`BENCH_NODE_ARGS_${name.replace(/\d+$/, '').toUpperCase()}`] || '').split(' ').filter(Boolean);
  const c = spawn(process.execPath, [...extra, join(ROOT, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout.on('data', (b) => verbose && process.stderr.write(`[${name}] ${b}`));
  c.stderr.on('data', (b) => process.stderr.write(`[${name}] ${b}`));
  children.push(c);
  return c;
}

async function main() {
  const pgPort = await freePort();
  pgHandle = await startEmbeddedPostgres({
    dir: join(work, 'pg'),
    port: pgPort,
    persistent: false,
    // The peer harness's settings: durability at PostgreSQL defaults.
    settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', shared_buffers: '256MB', max_connections: '200', max_wal_size: '2GB', checkpoint_timeout: '15min' },
  });
  const dbUrl = await ensureDatabase(pgHandle.url, 'tributary_bench');
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: dbUrl,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    TRIBUTARY_ADMIN_TOKEN: randomBytes(16).toString('hex'),
    TRIBUTARY_SECRET_KEY: randomBytes(32).toString('hex'),
    TRIBUTARY_FLOWS_DIR: join(ROOT, 'flows'),
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY || '400',
  };
  if (QUEUE === 'redis') {
    const bin = findRedisServer();
    if (!bin) throw new Error('redis-server not found (or run with BENCH_QUEUE=postgres)');
    redisHandle = await startRedisServer({ bin, port: await freePort(), dir: join(work, 'redis'), persistent: false });
    env.REDIS_URL = redisHandle.url;
  } else env.TRIBUTARY_QUEUE = 'postgres';

  const base = `http://127.0.0.1:${env.PORT}`;
  const auth = { authorization: `Bearer ${env.TRIBUTARY_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  start('apps/api/dist/main.js', env, 'api');
  await waitFor(async () => (await fetch(`${base}/api/health`)).status > 0, 30000, 'api');
  for (let i = 0; i < WORKERS; i++) start('apps/worker/dist/main.js', env, `worker${i}`);
  const pub = await fetch(`${base}/api/flows/lead-intake/publish`, { method: 'POST', headers: auth, body: '{}' });
  if (pub.status !== 200) throw new Error(`publish failed: ${pub.status} ${await pub.text()}`);
  const smoke = await fetch(`${base}/hooks/lead-intake/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phone":"+86 138-0013-8000","name":"张三"}' });
  if (smoke.status !== 202) throw new Error(`smoke request failed: ${smoke.status} ${await smoke.text()}`);

  const db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  await waitFor(async () => (await db.query(`SELECT count(*)::int n FROM runs WHERE status='succeeded'`)).rows[0].n === 1, 30000, 'smoke run');
  const smokeRuns = 1;

  const url = `${base}/hooks/lead-intake/webhook`;
  let ack;
  const loadStart = new Date();
  if (hasWrk()) {
    const out = execFileSync('wrk', ['-t', '2', '-c', String(CONNS), '-d', `${DURATION}s`, '--timeout', '10s', '--latency', '-s', join(ROOT, 'bench/ingest/lead-intake.lua'), url], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = out.split('\n').find((l) => l.startsWith('WRKSTAT')) ?? '';
    const f = Object.fromEntries(line.split(' ').slice(1).map((kv) => kv.split('=')));
    ack = { ok: Number(f.ok2xx), bad: Number(f.non2xx) + Number(f.err_connect) + Number(f.err_read) + Number(f.err_write) + Number(f.err_timeout), seconds: Number(f.duration_s), p50: Number(f.p50_ms), p99: Number(f.p99_ms), tool: 'wrk' };
  } else {
    const { default: autocannon } = await import('autocannon');
    let n = 0;
    const r = await autocannon({
      url, connections: CONNS, duration: DURATION, method: 'POST', headers: { 'content-type': 'application/json' },
      setupClient: (client) => client.setBody(JSON.stringify(lead(n++))),
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(lead(n++)) }) }],
    });
    ack = { ok: r['2xx'], bad: r.non2xx + r.errors + r.timeouts, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, tool: 'autocannon' };
  }
  log('load done', ack);

  const expected = ack.ok + smokeRuns;
  const drainStart = Date.now();
  await waitFor(async () => (await db.query(`SELECT count(*)::int n FROM runs WHERE status IN ('queued','running')`)).rows[0].n === 0, 900000, 'drain');
  log(`drained ${Date.now() - drainStart} ms after load`);
  const { rows: [s] } = await db.query(
    `SELECT count(*)::int AS runs,
            count(*) FILTER (WHERE status = 'succeeded')::int AS ok,
            extract(epoch FROM max(finished_at) - min(created_at)) AS span_s,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS e2e_p99
     FROM runs WHERE created_at >= $1`,
    [loadStart],
  );
  const { rows: [ev] } = await db.query(`SELECT count(*)::int AS n, count(DISTINCT run_id)::int AS runs FROM customer_events`);
  const { rows: [all] } = await db.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'succeeded')::int AS ok FROM runs`,
  );
  // Every acknowledged delivery must be a succeeded run. Runs beyond the acknowledged count
  // are requests the load generator sent but stopped waiting for at the end (at most one per connection).
  const lost = Math.max(0, expected - all.ok);
  // A delivery processed twice would show as a second timeline event for a run, or as more runs than requests.
  const unacked = all.n - expected;
  const duplicated = (ev.n - ev.runs) + Math.max(0, unacked - CONNS);
  await db.end();
  const line = [
    `accepted_per_s=${(ack.ok / ack.seconds).toFixed(0)}`,
    `completed_per_s=${(s.ok / Number(s.span_s)).toFixed(0)}`,
    `ack_p50_ms=${ack.p50.toFixed(2)}`,
    `ack_p99_ms=${ack.p99.toFixed(2)}`,
    `e2e_p99_ms=${Number(s.e2e_p99).toFixed(0)}`,
    `lost=${lost}`,
    `duplicated=${duplicated}`,
  ].join(' ');
  console.error(`[bench] tool=${ack.tool} duration_s=${DURATION} connections=${CONNS} workers=${WORKERS} concurrency=${env.WORKER_CONCURRENCY} queue=${QUEUE} acked=${ack.ok} errors=${ack.bad} runs=${all.n} stored_unacked=${unacked} events=${ev.n}`);
  console.log(line);
}

function lead(n) {
  const k = n % 100000;
  return { phone: `+86 138-${String(Math.floor(k / 10000)).padStart(4, '0')}-${String(k % 10000).padStart(4, '0')}`, email: `User${k}@Example.COM`, name: '张三', source: 'form', campaign: 'c1' };
}

function hasWrk() {
  if (process.env.BENCH_LOADGEN === 'autocannon') return false;
  try {
    execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
