#!/usr/bin/env node
// bench:editor — the editor and console in headless Chromium against 1,000,000 customers and 100,000 runs.
//   npm run bench:editor     (BENCH_CUSTOMERS=1000000, BENCH_RUNS=100000, BENCH_REPEAT=5)
// Starts an embedded Postgres, redis-server and the built API (serving apps/editor/dist), seeds the
// store in bulk with INSERT … SELECT generate_series (customers with a phone and an e-mail, runs of
// several flows with their steps, statuses and times spread over 60 days), saves a 300-node flow
// (10 lanes of triggers, normalize, transforms, branches, filters, resolve/upsert/score with their
// edges), then measures in the page itself (performance.now() and requestAnimationFrame, so the
// figures hold no DevTools round trips):
//   - opening the 300-node flow: route change → every node in view rendered and measured by React Flow;
//   - dragging a node for 2 s, zooming with the wheel and panning the canvas: frame intervals and
//     long tasks (PerformanceObserver 'longtask');
//   - the runs list: first page, next pages (keyset), a status filter, a flow filter;
//   - customer search: the first page (no query), a name, a phone, an e-mail;
// each list figure is "action → the expected rows in the DOM"; the API's own time for the same query
// (fetched from here, p50) is printed beside it. One summary line on stdout, details on stderr.
//   BENCH_DATABASE_URL=…  use that database (seeded already, or empty: it is seeded; kept afterwards)
//   BENCH_EXPLAIN=1       EXPLAIN (ANALYZE, BUFFERS) of the list and search queries to stderr
//   BENCH_PROFILE=1       a CPU profile of one open, a drag and a zoom: the functions with the most self time
//                         (BENCH_PROFILE_TRACE=1: the trace events instead: script, style, layout, paint)
//   BENCH_EDITOR_ONLY=1   the canvas measurements only (no runs list, no search)
//   BENCH_EXTRA_CSS=…     a style sheet added to the page, for experiments (e.g. `.react-flow__edges{display:none}`)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { freePort, startEmbeddedPostgres, startRedisServer, findRedisServer, ensureDatabase } from '../../libs/dev-services/dist/index.js';
import { waitFor } from '../support/wait.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const N_CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 1_000_000);
const N_RUNS = Number(process.env.BENCH_RUNS || 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT || 5);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const PROFILE = process.env.BENCH_PROFILE === '1';
const BIG_FLOW = 'bench-300';
const log = (...a) => console.error('[bench]', ...a);

const work = mkdtempSync(join(tmpdir(), 'tributary-editor-bench-'));
chmodSync(work, 0o755);
const children = [];
let pgHandle, redisHandle, context, db;

async function cleanup() {
  await context?.close().catch(() => undefined);
  await db?.end().catch(() => undefined);
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await redisHandle?.stop();
  await pgHandle?.stop();
  rmSync(work, { recursive: true, force: true });
}

const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const p50 = (xs) => pct(xs, 0.5);
const r0 = (x) => Math.round(x);
const r1 = (x) => Math.round(x * 10) / 10;

async function main() {
  let dbUrl = process.env.BENCH_DATABASE_URL;
  if (!dbUrl) {
    pgHandle = await startEmbeddedPostgres({
      dir: join(work, 'pg'),
      port: await freePort(),
      persistent: false,
      settings: { shared_buffers: '512MB', max_wal_size: '4GB', synchronous_commit: 'off', maintenance_work_mem: '256MB', checkpoint_timeout: '30min' },
    });
    dbUrl = await ensureDatabase(pgHandle.url, 'editor_bench');
  }
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server not found');
  redisHandle = await startRedisServer({ bin, port: await freePort(), dir: join(work, 'redis'), persistent: false });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: dbUrl,
    REDIS_URL: redisHandle.url,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    TRIBUTARY_ADMIN_TOKEN: randomBytes(16).toString('hex'),
    TRIBUTARY_SECRET_KEY: randomBytes(32).toString('hex'),
    TRIBUTARY_FLOWS_DIR: join(ROOT, 'flows'),
    LOG_LEVEL: 'warn',
    // An unminified build (vite build --minify false) makes BENCH_PROFILE's function names readable.
    ...(process.env.TRIBUTARY_EDITOR_DIR ? { TRIBUTARY_EDITOR_DIR: process.env.TRIBUTARY_EDITOR_DIR } : {}),
  };
  const base = `http://127.0.0.1:${env.PORT}`;
  const auth = { authorization: `Bearer ${env.TRIBUTARY_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const api = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${text.slice(0, 2000)}`);
    return text ? JSON.parse(text) : null;
  };
  // The API migrates the database on start; only it runs (no worker): nothing changes the seeded runs.
  const apiProc = spawn(process.execPath, [join(ROOT, 'apps/api/dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  apiProc.stderr.on('data', (b) => process.stderr.write(`[api] ${b}`));
  apiProc.stdout.resume();
  children.push(apiProc);
  await waitFor(async () => (await fetch(`${base}/api/health`)).status > 0, 60_000, 'api');

  db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const flows = (await api('GET', '/api/flows')).items.map((f) => f.id);
  if (!flows.includes(BIG_FLOW)) {
    await api('POST', '/api/flows', bigFlow(BIG_FLOW));
    flows.push(BIG_FLOW);
  }
  const [{ n: existing }] = (await db.query(`SELECT count(*)::int AS n FROM customers`)).rows;
  if (existing === 0) await seed(db, flows);
  else log(`using the ${existing} customers already in the database`);
  const [{ customers, runs }] = (
    await db.query(`SELECT (SELECT count(*) FROM customers WHERE merged_into IS NULL AND erased_at IS NULL)::int AS customers, (SELECT count(*) FROM runs)::int AS runs`)
  ).rows;

  // What the searches look for, taken from the data: a common name, an existing phone and e-mail.
  const [probe] = (
    await db.query(
      `SELECT c.display_name AS name,
              (SELECT value FROM customer_identities WHERE customer_id = c.id AND type = 'phone') AS phone,
              (SELECT value FROM customer_identities WHERE customer_id = c.id AND type = 'email') AS email
         FROM customers c WHERE c.id = lpad(to_hex($1::int), 32, '0')::uuid`,
      [Math.floor(N_CUSTOMERS * 0.612345)],
    )
  ).rows;
  const searches = [
    { label: 'empty', q: '' },
    { label: 'name', q: probe.name },
    { label: 'phone', q: probe.phone.replace(/^\+86/, '') },
    { label: 'email', q: probe.email.toUpperCase() },
    { label: 'none', q: '欧阳娜娜' },
  ];
  const busyFlow = (await db.query(`SELECT flow_id FROM runs GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0].flow_id;

  if (EXPLAIN) await explainAll(db, searches, busyFlow);

  // API time of each list query, from here (server time plus loopback), p50 of REPEAT after a warm-up.
  const apiMs = async (path) => {
    await api('GET', path);
    const ms = [];
    for (let i = 0; i < REPEAT; i++) {
      const t = performance.now();
      await api('GET', path);
      ms.push(performance.now() - t);
    }
    return p50(ms);
  };

  const profile = join(work, 'chromium');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  /** Self time per function (CDP Profiler) while `fn` runs, the top 25 to stderr. */
  const profiled = async (label, fn) => {
    if (process.env.BENCH_PROFILE_TRACE === '1') return traced(label, fn);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await fn();
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    const self = new Map();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas;
    profile.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    log(`[profile] ${label}: ${r0(total)} ms sampled\n` + [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `  ${r1(v).toString().padStart(7)} ms  ${k}`).join('\n'));
  };
  /** Time per trace event (renderer main thread), nested events counted in each: where the frames go. */
  const traced = async (label, fn) => {
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    await fn();
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
    const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const by = new Map();
    for (const e of events) if (e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)) by.set(e.name, (by.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    log(`[trace] ${label}\n` + [...by].sort((a, b) => b[1] - a[1]).slice(0, 18).map(([k, v]) => `  ${r1(v).toString().padStart(7)} ms  ${k}`).join('\n'));
  };
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript(
    ([token]) => {
      localStorage.setItem('tributary.adminToken', token);
      localStorage.setItem('tributary.lang', 'en');
      // Long tasks and a frame clock, read by the measurements below.
      window.__longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      /** Runs `action`, then checks `cond` on every animation frame; resolves to the ms until it held. */
      window.__timeUntil = (action, cond, timeoutMs = 30_000) =>
        new Promise((resolve, reject) => {
          const t0 = performance.now();
          action();
          const tick = () => {
            let ok = false;
            try {
              ok = cond();
            } catch {}
            if (ok) return resolve(performance.now() - t0);
            if (performance.now() - t0 > timeoutMs) return reject(new Error('condition not met in time'));
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
      /** Frame intervals while `window.__frames` is on. */
      window.__recordFrames = () => {
        const frames = [];
        let last = performance.now();
        let on = true;
        const f = (t) => {
          frames.push(t - last);
          last = t;
          if (on) requestAnimationFrame(f);
        };
        requestAnimationFrame((t) => {
          last = t;
          requestAnimationFrame(f);
        });
        return () => {
          on = false;
          return frames;
        };
      };
    },
    [env.TRIBUTARY_ADMIN_TOKEN],
  );
  await page.goto(`${base}/#/flows`);
  if (process.env.BENCH_EXTRA_CSS) await page.addStyleTag({ content: process.env.BENCH_EXTRA_CSS });
  await page.getByTestId('flow-list').waitFor();

  // ── Open the 300-node flow ───────────────────────────────────────────────────────────────────────
  // Nodes React Flow has measured are visible; with onlyRenderVisibleElements only the ones in view are
  // in the DOM, so the first (warm-up) open finds how many that is and the timed opens wait for it.
  const rendered = () =>
    page.evaluate(() => {
      const ns = [...document.querySelectorAll('.react-flow__node')];
      return { dom: ns.length, measured: ns.filter((n) => getComputedStyle(n).visibility !== 'hidden').length };
    });
  const openOnce = (expect) =>
    page.evaluate(
      ([id, expect]) =>
        window.__timeUntil(
          () => {
            location.hash = `#/flows/${id}`;
          },
          () => {
            const ns = document.querySelectorAll('.react-flow__node');
            if (ns.length < expect) return false;
            for (const n of ns) if (n.style.visibility === 'hidden') return false;
            return true;
          },
        ),
      [BIG_FLOW, expect],
    );
  const leaveEditor = async () => {
    await page.evaluate(() => (location.hash = '#/flows'));
    await page.getByTestId('flow-list').waitFor();
  };
  await openOnce(1);
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0);
  await page.waitForTimeout(1000); // settle: the warm-up open finds the steady count
  const inView = await rendered();
  log(`300-node flow: ${inView.dom} nodes in the DOM (${inView.measured} measured), ${await page.locator('.react-flow__edge').count()} edges`);
  const openMs = [];
  const openLongest = [];
  for (let i = 0; i < REPEAT; i++) {
    await leaveEditor();
    const lt0 = await page.evaluate(() => window.__longTasks.length);
    openMs.push(await openOnce(inView.dom));
    openLongest.push(await page.evaluate((from) => Math.max(0, ...window.__longTasks.slice(from).map((t) => t.duration)), lt0));
  }
  log(`open 300: ${openMs.map(r0).join(', ')} ms; longest task ${openLongest.map(r0).join(', ')} ms`);
  if (PROFILE) {
    await leaveEditor();
    await profiled('open', () => openOnce(inView.dom));
  }
  await page.waitForTimeout(500);

  // Selecting a node: a real click; timed in the page from the pointerdown to the node drawn selected
  // with its settings form up.
  const target = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    const ns = [...document.querySelectorAll('.react-flow__node')].map((n) => ({ id: n.dataset.id, r: n.getBoundingClientRect() }));
    const cx = pane.left + pane.width / 2;
    const cy = pane.top + pane.height / 2;
    const mid = (r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 3 });
    ns.sort((a, b) => Math.hypot(mid(a.r).x - cx, mid(a.r).y - cy) - Math.hypot(mid(b.r).x - cx, mid(b.r).y - cy));
    const n = ns[0];
    return { id: n.id, ...mid(n.r) };
  });
  // The listener is in place before the click (a promise kept on window), then awaited.
  await page.evaluate(
    (id) =>
      void (window.__selected = new Promise((resolve, reject) => {
        addEventListener(
          'pointerdown',
          () => {
            const t0 = performance.now();
            const tick = () => {
              if (document.querySelector(`.react-flow__node[data-id="${id}"] .flow-node.selected`) && document.querySelector('[data-testid="config-panel"]'))
                return resolve(performance.now() - t0);
              if (performance.now() - t0 > 30_000) return reject(new Error('node not selected'));
              requestAnimationFrame(tick);
            };
            tick();
          },
          { capture: true, once: true },
        );
        setTimeout(() => reject(new Error('no pointerdown')), 30_000);
      })),
    target.id,
  );
  await page.mouse.click(target.x, target.y);
  const selectMs = await page.evaluate(() => window.__selected);
  log(`select: ${r0(selectMs)} ms (node ${target.id})`);

  // ── Drag, zoom, pan ───────────────────────────────────────────────────────────────────────────────
  const framesDuring = async (label, drive) => {
    await page.evaluate(() => {
      window.__stopFrames = window.__recordFrames();
      window.__ltFrom = window.__longTasks.length;
    });
    await drive();
    const { frames, longTasks } = await page.evaluate(() => ({ frames: window.__stopFrames(), longTasks: window.__longTasks.slice(window.__ltFrom) }));
    const res = {
      frames: frames.length,
      p50: p50(frames),
      p95: pct(frames, 0.95),
      max: Math.max(...frames),
      longTasks: longTasks.length,
      longMs: longTasks.reduce((s, t) => s + t.duration, 0),
    };
    log(`${label}: ${res.frames} frames, interval p50 ${r1(res.p50)} p95 ${r1(res.p95)} max ${r0(res.max)} ms; ${res.longTasks} long tasks (${r0(res.longMs)} ms)`);
    return res;
  };
  const moveFor = async (ms, from, dx, dy) => {
    const t0 = Date.now();
    let i = 0;
    while (Date.now() - t0 < ms) {
      const k = (Date.now() - t0) / ms;
      await page.mouse.move(from.x + dx * k, from.y + dy * k);
      i++;
      await page.waitForTimeout(8); // pace the moves at about one per frame
    }
    return i;
  };
  const dragOnce = async () => {
    await page.mouse.move(target.x, target.y);
    await page.mouse.down();
    const moves = await moveFor(2000, target, 400, 250);
    await page.mouse.up();
    return moves;
  };
  const drag = await framesDuring('drag', async () => log(`drag: ${await dragOnce()} mouse moves`));
  if (PROFILE) await profiled('drag', async () => {
    // Back where it came from.
    await page.mouse.move(target.x + 400, target.y + 250);
    await page.mouse.down();
    await moveFor(2000, { x: target.x + 400, y: target.y + 250 }, -400, -250);
    await page.mouse.up();
  });
  const zoomOnce = async () => {
    const box = await page.getByTestId('canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 30; i++) {
      await page.mouse.wheel(0, i < 15 ? -120 : 120);
      await page.waitForTimeout(30);
    }
  };
  const zoom = await framesDuring('zoom', zoomOnce);
  if (PROFILE) await profiled('zoom', zoomOnce);
  const pan = await framesDuring('pan', async () => {
    // An empty spot of the pane to grab.
    const spot = await page.evaluate(() => {
      const r = document.querySelector('.react-flow').getBoundingClientRect();
      for (let y = r.top + 40; y < r.bottom - 40; y += 20)
        for (let x = r.left + 40; x < r.right - 200; x += 20) {
          const el = document.elementFromPoint(x, y);
          if (el?.classList.contains('react-flow__pane')) return { x, y };
        }
      return null;
    });
    if (!spot) throw new Error('no empty spot on the canvas to pan from');
    await page.mouse.move(spot.x, spot.y);
    await page.mouse.down();
    await moveFor(1000, spot, -600, -400);
    await moveFor(1000, { x: spot.x - 600, y: spot.y - 400 }, 600, 400);
    await page.mouse.up();
  });
  // The usual editing view: zoomed in to 100 % (React Flow then draws only the nodes on screen), a node dragged.
  const box = await page.getByTestId('canvas').boundingBox();
  const scale = () => page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 60 && (await scale()) < 1; i++) await page.mouse.wheel(0, -100);
  await page.waitForTimeout(500);
  const near = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    const ns = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
    const mid = (r) => ({ x: r.x + r.width / 2, y: r.y + 20 });
    const c = { x: pane.left + pane.width / 3, y: pane.top + pane.height / 3 };
    ns.sort((a, b) => Math.hypot(mid(a).x - c.x, mid(a).y - c.y) - Math.hypot(mid(b).x - c.x, mid(b).y - c.y));
    return { ...mid(ns[0]), inDom: ns.length };
  });
  const zoomed = await scale();
  const drag100 = await framesDuring(`drag at ${Math.round(zoomed * 100)} % (${near.inDom} nodes drawn)`, async () => {
    await page.mouse.move(near.x, near.y);
    await page.mouse.down();
    await moveFor(2000, near, 300, 150);
    await page.mouse.up();
  });
  // A fresh editor for the next section: the drag left the flow changed.
  await leaveEditor();
  if (process.env.BENCH_EDITOR_ONLY === '1') {
    console.log(`editor: open300 p50=${r0(p50(openMs))}ms max=${r0(Math.max(...openMs))}ms select=${r0(selectMs)}ms drag p50=${r1(drag.p50)} p95=${r1(drag.p95)} long=${drag.longTasks}/${r0(drag.longMs)}ms drag100 p95=${r1(drag100.p95)} long=${drag100.longTasks} zoom p95=${r1(zoom.p95)} long=${r0(zoom.longMs)}ms pan p95=${r1(pan.p95)} long=${r0(pan.longMs)}ms`);
    return;
  }

  // ── Runs list ─────────────────────────────────────────────────────────────────────────────────────
  const rowsOf = (prefix) => `[...document.querySelectorAll('[data-testid^="${prefix}"]')].map((e) => e.dataset.testid.slice(${prefix.length}))`;
  /** Waits in the page until the table's rows are exactly `ids` (in order). */
  const listTimed = (action, prefix, ids) =>
    page.evaluate(
      ([action, prefix, ids]) =>
        window.__timeUntil(
          () => new Function(action)(),
          () => {
            const got = [...document.querySelectorAll(`[data-testid^="${prefix}"]`)].map((e) => e.dataset.testid.slice(prefix.length));
            return got.length === ids.length && got.every((x, i) => x === ids[i]);
          },
        ),
      [action, prefix, ids],
    );
  void rowsOf;
  const runsPage = async (q) => (await api('GET', `/api/runs?${new URLSearchParams({ limit: '50', ...q })}`));
  const runTimes = {};
  const runApi = {};
  const first = await runsPage({});
  runApi.first = await apiMs('/api/runs?limit=50');
  const firstMs = [];
  for (let i = 0; i < REPEAT; i++) {
    await page.evaluate(() => (location.hash = '#/flows'));
    await page.getByTestId('flow-list').waitFor();
    firstMs.push(await listTimed(`location.hash = '#/runs'`, 'run-row-', first.items.map((r) => r.id)));
  }
  runTimes.first = p50(firstMs);
  // Next pages: each click asks for the page after the last row.
  const nextMs = [];
  let pageNow = first;
  for (let i = 0; i < REPEAT; i++) {
    const next = await runsPage({ cursor: pageNow.nextCursor });
    nextMs.push(await listTimed(`document.querySelectorAll('.pager .btn')[1].click()`, 'run-row-', next.items.map((r) => r.id)));
    pageNow = next;
  }
  runTimes.next = p50(nextMs);
  runApi.next = await apiMs(`/api/runs?limit=50&cursor=${encodeURIComponent(pageNow.nextCursor)}`);
  // Status filters (from the first page), each timed once per status, p50 over them.
  const statusMs = [];
  for (const s of ['failed', 'cancelled', 'waiting', 'succeeded', 'running']) {
    const want = await runsPage({ status: s });
    await page.evaluate(() => (location.hash = '#/flows'));
    await page.getByTestId('flow-list').waitFor();
    await listTimed(`location.hash = '#/runs'`, 'run-row-', first.items.map((r) => r.id));
    statusMs.push(
      await listTimed(
        `const s = document.querySelector('[data-testid="runs-status-filter"]'); s.value = ${JSON.stringify(s)}; s.dispatchEvent(new Event('change', { bubbles: true }));`,
        'run-row-',
        want.items.map((r) => r.id),
      ),
    );
  }
  runTimes.status = p50(statusMs);
  runApi.status = await apiMs('/api/runs?limit=50&status=cancelled');
  // One flow's runs (the runs link of a flow).
  const byFlow = await runsPage({ flowId: busyFlow });
  const flowMs = [];
  for (let i = 0; i < REPEAT; i++) {
    await page.evaluate(() => (location.hash = '#/flows'));
    await page.getByTestId('flow-list').waitFor();
    flowMs.push(await listTimed(`location.hash = '#/runs/flow/${busyFlow}'`, 'run-row-', byFlow.items.map((r) => r.id)));
  }
  runTimes.flow = p50(flowMs);
  runApi.flow = await apiMs(`/api/runs?limit=50&flowId=${encodeURIComponent(busyFlow)}`);
  runApi.flowFailed = await apiMs(`/api/runs?limit=50&flowId=${encodeURIComponent(busyFlow)}&status=failed`);
  log(`runs: first ${firstMs.map(r0).join(', ')} ms; next ${nextMs.map(r0).join(', ')}; status ${statusMs.map(r0).join(', ')}; flow ${flowMs.map(r0).join(', ')}`);
  log(`runs API p50: ${JSON.stringify(Object.fromEntries(Object.entries(runApi).map(([k, v]) => [k, r1(v)])))}`);

  // ── Customer search ───────────────────────────────────────────────────────────────────────────────
  const searchTimes = {};
  const searchApi = {};
  await page.evaluate(() => (location.hash = '#/customers'));
  const emptyPage = await api('GET', '/api/customers?limit=50');
  await listTimed('', 'customer-row-', emptyPage.items.map((c) => c.id));
  for (const s of searches) {
    const path = `/api/customers?${new URLSearchParams(s.q ? { limit: '50', q: s.q } : { limit: '50' })}`;
    const want = await api('GET', path);
    searchApi[s.label] = await apiMs(path);
    const ms = [];
    for (let i = 0; i < REPEAT; i++) {
      // From the customers page showing another result, so the rows must change.
      if (s.q) {
        await page.evaluate(() => (location.hash = '#/flows'));
        await page.getByTestId('flow-list').waitFor();
        await page.evaluate(() => (location.hash = '#/customers'));
        await page.getByTestId('customers-search').waitFor();
        await listTimed('', 'customer-row-', emptyPage.items.map((c) => c.id));
        await page.getByTestId('customers-search').fill(s.q);
        const empty = want.items.length === 0;
        ms.push(
          empty
            ? await page.evaluate(() =>
                window.__timeUntil(
                  () => document.querySelector('.search-form').requestSubmit(),
                  () => document.querySelectorAll('[data-testid^="customer-row-"]').length === 0 && !!document.querySelector('.list-page p.empty'),
                ),
              )
            : await listTimed(`document.querySelector('.search-form').requestSubmit()`, 'customer-row-', want.items.map((c) => c.id)),
        );
      } else {
        await page.evaluate(() => (location.hash = '#/flows'));
        await page.getByTestId('flow-list').waitFor();
        ms.push(await listTimed(`location.hash = '#/customers'`, 'customer-row-', want.items.map((c) => c.id)));
      }
    }
    searchTimes[s.label] = p50(ms);
    log(`search ${s.label} ${JSON.stringify(s.q)} (${want.items.length} rows): ${ms.map(r0).join(', ')} ms; API p50 ${r1(searchApi[s.label])} ms`);
  }
  if (pageErrors.length) throw new Error(`errors in the page:\n${pageErrors.join('\n')}`);

  console.log(
    `editor: customers=${customers} runs=${runs} open300 p50=${r0(p50(openMs))}ms max=${r0(Math.max(...openMs))}ms (${inView.dom} nodes in view) select=${r0(selectMs)}ms ` +
      `drag frame p50=${r1(drag.p50)}ms p95=${r1(drag.p95)}ms long_tasks=${drag.longTasks} drag100 p95=${r1(drag100.p95)}ms long_tasks=${drag100.longTasks} zoom p95=${r1(zoom.p95)}ms pan p95=${r1(pan.p95)}ms ` +
      `runs first=${r0(runTimes.first)}ms next=${r0(runTimes.next)}ms status=${r0(runTimes.status)}ms flow=${r0(runTimes.flow)}ms ` +
      `(api ${r1(runApi.first)}/${r1(runApi.next)}/${r1(runApi.status)}/${r1(runApi.flow)}ms) ` +
      `search empty=${r0(searchTimes.empty)}ms name=${r0(searchTimes.name)}ms phone=${r0(searchTimes.phone)}ms email=${r0(searchTimes.email)}ms none=${r0(searchTimes.none)}ms ` +
      `(api ${r1(searchApi.empty)}/${r1(searchApi.name)}/${r1(searchApi.phone)}/${r1(searchApi.email)}/${r1(searchApi.none)}ms)`,
  );
}

/**
 * A 300-node flow as people build them: 10 lanes, each a trigger, normalize, a mapping, a branch into
 * three paths that meet at resolve, resolve's three ports into upserts and a review path, scoring, and
 * a tail of transforms, filters, validations and a second branch. Laid out in columns, lanes stacked.
 */
function bigFlow(id) {
  const nodes = [];
  const edges = [];
  const LANE_H = 4 * 130;
  for (let lane = 0; lane < 10; lane++) {
    const at = (col, row) => ({ x: col * 280, y: lane * LANE_H + row * 130 });
    const add = (key, type, config, col, row, name) => {
      const nid = `l${lane}-${key}`;
      nodes.push({ id: nid, type, version: 1, name: name ?? `${key} ${lane + 1}`, config, position: at(col, row) });
      return nid;
    };
    const link = (from, to) => edges.push({ from, to });
    const hook = add('hook', 'core.webhook', { auth: 'none' }, 0, 1, `Form ${lane + 1}`);
    const norm = add('normalize', 'customer.normalize', {}, 1, 1);
    const map = add('map', 'core.transform', { expression: `{ 'phone': phone, 'email': email, 'name': name, 'total': $number(total), 'country': country, 'lane': ${lane} }` }, 2, 1);
    const br = add('branch', 'core.branch', { rules: [{ port: 'vip', condition: 'total >= 1000' }, { port: 'cn', condition: "country = 'CN'" }] }, 3, 1);
    const vip = add('vip', 'core.transform', { expression: "$merge([$, { 'tier': 'vip' }])" }, 4, 0);
    const cn = add('cn', 'core.filter', { condition: '$exists(phone)' }, 4, 1);
    const other = add('other', 'core.validate', { schema: { type: 'object', required: ['email'] } }, 4, 2);
    const res = add('resolve', 'customer.resolve', {}, 5, 1);
    link(hook, norm);
    link(norm, map);
    link(map, br);
    link(`${br}:vip`, vip);
    link(`${br}:cn`, cn);
    link(`${br}:else`, other);
    link(vip, res);
    link(cn, res);
    link(other, res);
    const upM = add('upsert-matched', 'customer.upsert', { source: `lane-${lane}` }, 6, 0);
    const upN = add('upsert-new', 'customer.upsert', { source: `lane-${lane}` }, 6, 1);
    const review = add('review', 'core.transform', { expression: "$merge([$, { 'needsReview': true }])" }, 6, 2);
    link(`${res}:matched`, upM);
    link(`${res}:new`, upN);
    link(`${res}:review`, review);
    const score = add('score', 'customer.score', { eventType: 'form_submitted', rules: [] }, 7, 0);
    link(upM, score);
    link(upN, score);
    let prev = score;
    let col = 8;
    // The tail: 17 more nodes, so that the lane has 30.
    const kinds = [
      ['core.transform', { expression: "$merge([$, { 'step': 1 }])" }],
      ['core.filter', { condition: 'score > 10' }],
      ['core.validate', { schema: { type: 'object' } }],
      ['core.transform', { expression: "{ 'customerId': customerId, 'score': score }" }],
    ];
    for (let k = 0; k < 13; k++) {
      const [type, config] = kinds[k % kinds.length];
      const n = add(`t${k}`, type, config, col++, 0);
      link(prev, n);
      prev = n;
    }
    const br2 = add('branch2', 'core.branch', { rules: [{ port: 'hot', condition: 'score >= 80' }] }, col, 0);
    link(prev, br2);
    const hot = add('hot', 'core.transform', { expression: "$merge([$, { 'hot': true }])" }, col + 1, 0);
    const cold = add('cold', 'core.transform', { expression: "$merge([$, { 'hot': false }])" }, col + 1, 1);
    link(`${br2}:hot`, hot);
    link(`${br2}:else`, cold);
    const rv = add('review-check', 'core.filter', { condition: 'needsReview' }, 7, 2);
    link(review, rv);
  }
  return { schemaVersion: 1, id, name: 'Bench: 300 nodes', nodes, edges };
}

/** Customers, identities and runs, generated in SQL from a hash of the row number (the same data each time). */
async function seed(db, flows) {
  const c = await db.connect();
  const step = async (label, sql, params = []) => {
    const t = Date.now();
    await c.query(sql, params);
    log(`${label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  };
  try {
    await c.query(`SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '256MB'`);
    await c.query(`
      CREATE OR REPLACE FUNCTION pg_temp.r(n bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (hashint8(n * 7919 + salt)::bigint + 2147483648) / 4294967296.0 $$`);
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡'.split('');
    const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁婷雪琳晶颖慧佳欣怡子涵梓轩博文'.split('');
    const first = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Jun', 'Yang', 'Emily', 'David', 'Grace', 'Kevin'];
    const last = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Lin', 'Guo'];
    // Surnames skewed to the common ones; one customer in twenty with a name in Latin letters.
    await step(
      `customers (${N_CUSTOMERS})`,
      `INSERT INTO customers (id, display_name, attributes, score, stage, tags, created_at, updated_at)
       SELECT lpad(to_hex(n), 32, '0')::uuid, name,
              jsonb_build_object('name', jsonb_build_object('value', name, 'source', 'seed', 'updatedAt', created_at)),
              floor(pg_temp.r(n, 5) * 100)::int,
              (ARRAY['lead','lead','lead','mql','sql','customer','churn_risk'])[1 + floor(pg_temp.r(n, 6) * 7)::int],
              CASE WHEN pg_temp.r(n, 7) < 0.1 THEN ARRAY['vip'] ELSE '{}' END,
              created_at, created_at + (now() - created_at) * pg_temp.r(n, 8) ^ 3
         FROM (
           SELECT n,
                  CASE WHEN pg_temp.r(n, 1) < 0.05
                       THEN ($3::text[])[1 + floor(pg_temp.r(n, 2) * 12)::int] || ' ' || ($4::text[])[1 + floor(pg_temp.r(n, 3) * 12)::int]
                       ELSE ($1::text[])[1 + floor(pg_temp.r(n, 2) ^ 2 * 40)::int] || ($2::text[])[1 + floor(pg_temp.r(n, 3) * 60)::int]
                            || CASE WHEN pg_temp.r(n, 4) < 0.65 THEN ($2::text[])[1 + floor(pg_temp.r(n, 9) * 60)::int] ELSE '' END
                  END AS name,
                  now() - interval '730 days' * pg_temp.r(n, 0) AS created_at
             FROM generate_series(1, $5::int) n
         ) g`,
      [surnames, given, first, last, N_CUSTOMERS],
    );
    await step(
      'identities (a phone and an e-mail each)',
      `INSERT INTO customer_identities (customer_id, type, value, raw_value, source, first_seen, last_seen)
       SELECT c.id, t.type, t.value, t.value, 'seed', c.created_at, c.updated_at
         FROM (SELECT lpad(to_hex(n), 32, '0')::uuid AS id, n, now() - interval '730 days' * pg_temp.r(n, 0) AS created_at, now() AS updated_at
                 FROM generate_series(1, $1::int) n) c
        CROSS JOIN LATERAL (VALUES ('phone', '+86139' || (20000000 + c.n * 7)::text), ('email', 'user' || c.n || '@corp-mail.cn')) t(type, value)`,
      [N_CUSTOMERS],
    );
    // Runs: the busiest flows get most of them; newer days more; a few still queued, running or waiting.
    await step(
      `runs (${N_RUNS})`,
      `INSERT INTO runs (id, flow_id, flow_version, trigger_node, trigger_kind, dedupe_key, job_id, status, input, error, retries,
                         created_at, started_at, finished_at, updated_at, resume_at)
       SELECT id, flow_id, 1, 'webhook', 'webhook', 'seed-' || n, id::text, status,
              jsonb_build_object('name', '客户' || n, 'phone', '139' || (20000000 + n * 7)::text),
              CASE WHEN status = 'failed' THEN jsonb_build_object('message', 'upstream answered 502', 'nodeId', 'upsert') END,
              CASE WHEN status = 'failed' THEN floor(pg_temp.r(n, 15) * 3)::int ELSE 0 END,
              created_at,
              CASE WHEN status <> 'queued' THEN created_at + interval '5 ms' END,
              CASE WHEN status IN ('succeeded','failed','cancelled') THEN created_at + interval '1 ms' * (40 + pg_temp.r(n, 14) ^ 4 * 20000) END,
              created_at + interval '1 ms' * (40 + pg_temp.r(n, 14) ^ 4 * 20000),
              CASE WHEN status = 'waiting' THEN created_at + interval '1 day' END
         FROM (
           SELECT n, lpad(to_hex(n), 32, '0')::uuid AS id,
                  ($1::text[])[1 + floor(pg_temp.r(n, 11) ^ 2 * array_length($1::text[], 1))::int] AS flow_id,
                  CASE WHEN s < 0.86 THEN 'succeeded' WHEN s < 0.94 THEN 'failed' WHEN s < 0.965 THEN 'cancelled'
                       WHEN s < 0.985 THEN 'waiting' WHEN s < 0.995 THEN 'running' ELSE 'queued' END AS status,
                  now() - interval '60 days' * pg_temp.r(n, 12) ^ 1.5 AS created_at
             FROM (SELECT n, pg_temp.r(n, 13) AS s FROM generate_series(1, $2::int) n) g
         ) x`,
      [flows, N_RUNS],
    );
    await step(
      'run steps (3–6 per run)',
      `INSERT INTO run_steps (run_id, node_id, seq, status, attempts, input, output, error, started_at, finished_at)
       SELECT r.id, (ARRAY['webhook','map','check','upsert','score','assign'])[k], k - 1,
              CASE WHEN r.status = 'failed' AND k = m THEN 'failed' WHEN r.status IN ('queued') THEN 'pending'
                   WHEN r.status IN ('running','waiting') AND k = m THEN r.status ELSE 'succeeded' END,
              1, jsonb_build_object('items', 1), jsonb_build_object('out', jsonb_build_array(jsonb_build_object('phone', '139' || k))),
              CASE WHEN r.status = 'failed' AND k = m THEN r.error END,
              r.started_at, r.finished_at
         FROM runs r
        CROSS JOIN LATERAL (SELECT 3 + floor(pg_temp.r(('x' || substr(r.id::text, 25, 12))::bit(48)::bigint, 16) * 4)::int AS m) mm
        CROSS JOIN LATERAL generate_series(1, mm.m) k`,
    );
    await step('vacuum analyze', `VACUUM ANALYZE`);
  } finally {
    c.release();
  }
}

/**
 * EXPLAIN ANALYZE of the customer searches (the statements searchCustomers sends, captured) and of the runs
 * list and its change mark (the statements of libs/runtime/src/runs/run.store.ts, written out here).
 */
async function explainAll(db, searches, busyFlow) {
  const { searchCustomers } = await import('../../libs/customer-store/dist/customer-search.query.js');
  const show = async (label, sql, params = []) => {
    const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    log(`[explain] ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  };
  for (const s of searches) {
    const captured = [];
    const capture = { query: async (sql, params) => (captured.push({ sql, params }), (await db.query(sql, params)).rows) };
    await searchCustomers(capture, s.q ? { q: s.q, limit: 50 } : { limit: 50 });
    for (const c of captured) await show(`search ${s.label} ${JSON.stringify(s.q)}`, c.sql, c.params);
  }
  const list = (where) =>
    `SELECT id, flow_id, flow_version, status, trigger_node, trigger_kind, error, retries, created_at, started_at, finished_at, resume_at, created_at::text AS created_exact
       FROM runs ${where} ORDER BY created_at DESC, id DESC LIMIT 51`;
  await show('runs: first page', list(''));
  await show('runs: a later page', list(`WHERE (created_at, id) < (now() - interval '20 days', 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)`));
  await show('runs: status failed', list(`WHERE status = $1`), ['failed']);
  await show('runs: one flow', list(`WHERE flow_id = $1`), [busyFlow]);
  await show('runs: one flow, status cancelled', list(`WHERE flow_id = $1 AND status = $2`), [busyFlow, 'cancelled']);
  await show(
    'runs: change mark',
    `SELECT concat_ws('|', (SELECT max(created_at) FROM runs), (SELECT max(finished_at) FROM runs WHERE finished_at IS NOT NULL),
            (SELECT max(updated_at) FROM runs WHERE status IN ('queued','running','waiting')),
            (SELECT count(*) FROM runs WHERE status IN ('queued','running','waiting'))) AS mark`,
  );
}

main()
  .then(cleanup, async (err) => {
    console.error(err);
    await cleanup();
    process.exit(1);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
