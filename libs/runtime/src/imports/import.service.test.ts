import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import iconv from 'iconv-lite';
import { createNodeRegistry } from '@tributary/engine';
import { coreNodes } from '@tributary/connector-core';
import { importTrigger } from '@tributary/connector-files';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { AppError } from '../errors.js';
import { FlowService } from '../flows/flow.service.js';
import { RunEnqueuer } from '../queue/run-enqueuer.js';
import { RunStore } from '../runs/run.store.js';
import { IMPORT_DEFAULTS, type ImportOptions } from './import.config.js';
import { ImportService } from './import.service.js';
import type { ImportView } from './import.types.js';

const log = { debug() {}, info() {}, warn() {}, error() {} };

async function* bytes(b: Buffer | string, chunk = 16 * 1024): AsyncGenerator<Buffer> {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b);
  for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
}

function customersCsv(n: number, from = 0): string {
  const lines = ['姓名,手机,城市'];
  for (let i = from; i < from + n; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')},杭州`);
  return lines.join('\r\n') + '\r\n';
}

describe('ImportService (real Postgres and Redis)', () => {
  let ds: DataSource;
  let queue: Queue;
  let flows: FlowService;
  let runs: RunStore;
  let enqueuer: RunEnqueuer;
  const registry = createNodeRegistry([...coreNodes, importTrigger]);
  const dir = mkdtempSync(join(tmpdir(), 'tributary-imports-test-'));
  const services: ImportService[] = [];

  const service = (opts: Partial<ImportOptions> = {}) => {
    const s = new ImportService({ ds, flows, registry, runs, enqueuer, log, options: { ...IMPORT_DEFAULTS, dir, batchSize: 100, progressEveryMs: 50, ...opts } });
    services.push(s);
    return s;
  };
  const flowDoc = (id: string, trigger = 'files.import', config: Record<string, unknown> = {}) => ({
    schemaVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'file', type: trigger, version: 1, config },
      { id: 'keep', type: 'core.transform', version: 1, config: { expression: '$' } },
    ],
    edges: [{ from: 'file', to: 'keep' }],
  });
  const runsOf = async (flowId: string) => (await sql<{ n: number }>(ds, `SELECT count(*)::int AS n FROM runs WHERE flow_id = $1`, [flowId]))[0]!.n;
  const finished = async (s: ImportService, v: ImportView) => {
    await s.idle(v.id);
    return s.get(v.id);
  };

  beforeAll(async () => {
    ds = createDataSource({ url: await createTestDatabase('imports'), poolSize: 6 });
    await ds.initialize();
    await runMigrations(ds);
    const u = new URL(testRedisUrl());
    queue = new Queue('runs', { connection: { host: u.hostname, port: Number(u.port) }, prefix: testQueuePrefix('imports') });
    flows = new FlowService(ds, registry, { publishedTtlMs: 0 });
    runs = new RunStore(ds);
    enqueuer = new RunEnqueuer(queue, log);
    for (const id of ['people', 'again', 'resume', 'crash', 'cancel', 'strict', 'broken']) await flows.create(flowDoc(id));
    await flows.create(flowDoc('strict2', 'files.import', { maxErrors: 2 }));
    await flows.create(flowDoc('manual-only', 'core.manual'));
    await flows.publish('people');
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await queue.close();
    await ds.destroy();
  });

  it('answers at once, then turns every row into one queued run of the published flow, with bad rows reported by line', async () => {
    const s = service();
    const csv = customersCsv(250).replace('客户7,13900000007,杭州', '客户7,13900000007,杭州,extra');
    const started = await s.start({ flowId: 'people', filename: 'C:\\exports\\客户.csv', body: bytes(iconv.encode(csv, 'gbk')) });
    expect(started).toMatchObject({ status: 'running', flowId: 'people', flowVersion: 1, nodeId: 'file', fileName: '客户.csv', bytesTotal: expect.any(Number) });
    expect(started.sha256).toMatch(/^[0-9a-f]{64}$/);

    const done = await finished(s, started);
    expect(done).toMatchObject({ status: 'succeeded', rowsRead: 250, rowsAccepted: 249, rowsDuplicate: 0, rowsFailed: 1, error: null, etaSeconds: null });
    expect(done.errors).toEqual([{ line: 9, message: expect.stringMatching(/4 values but the header has 3 columns/) }]);
    expect(done.bytesRead).toBe(done.bytesTotal);
    expect(done.file).toMatchObject({ format: 'csv', encoding: 'gb18030', delimiter: ',', fields: ['name', 'phone', 'city'] });
    expect(await runsOf('people')).toBe(249);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 249 });

    const [run] = await sql<{ input: unknown; trigger_node: string; trigger_kind: string; status: string }>(ds,
      `SELECT input, trigger_node, trigger_kind, status FROM runs WHERE flow_id = 'people' AND input->0->>'name' = '客户3'`,
    );
    expect(run).toMatchObject({ trigger_node: 'file', trigger_kind: 'manual', status: 'queued' });
    expect(run!.input).toEqual([{ name: '客户3', phone: '13900000003', city: '杭州', _import: { id: started.id, file: '客户.csv', line: 5 } }]);
    // The upload is removed once its rows are runs.
    expect(readdirSync(dir).filter((n) => n.startsWith(started.id))).toEqual([]);
  });

  it('makes no new run when the same rows come again: the same file, or a re-export with rows moved', async () => {
    const s = service();
    const first = await finished(s, await s.start({ flowId: 'again', filename: 'a.csv', body: bytes(customersCsv(300) + '客户0,13900000000,杭州\r\n') }));
    // A repeated row is a second occurrence, so a second run (two identical purchases are two events).
    expect(first).toMatchObject({ status: 'succeeded', rowsAccepted: 301, rowsDuplicate: 0 });
    expect(await runsOf('again')).toBe(301);

    const same = await finished(s, await s.start({ flowId: 'again', filename: 'a.csv', body: bytes(customersCsv(300) + '客户0,13900000000,杭州\r\n') }));
    expect(same).toMatchObject({ status: 'succeeded', rowsRead: 301, rowsAccepted: 0, rowsDuplicate: 301 });
    expect(same.sha256).toBe(first.sha256);

    // Re-exported: other column order, rows reversed, two new rows.
    const lines = ['城市,姓名,手机'];
    for (let i = 301; i >= 0; i--) lines.push(`杭州,客户${i},139${String(i).padStart(8, '0')}`);
    const moved = await finished(s, await s.start({ flowId: 'again', filename: 'b.csv', body: bytes(lines.join('\n')) }));
    expect(moved).toMatchObject({ status: 'succeeded', rowsRead: 302, rowsAccepted: 2, rowsDuplicate: 300 });
    expect(await runsOf('again')).toBe(303);
  });

  it('refuses what cannot be imported before reading the body: unknown flow 404, no files.import trigger 409, wrong node, empty file 400, too large 413', async () => {
    const s = service({ maxBytes: 1000 });
    const err = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return { status: (e as AppError).status, code: (e as AppError).code, message: (e as AppError).message };
      }
      throw new Error('expected an error');
    };
    expect(await err(s.start({ flowId: 'nope', body: bytes('a\n1') }))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await err(s.start({ flowId: 'manual-only', body: bytes('a\n1') }))).toMatchObject({ status: 409, code: 'no_file_import_trigger', message: expect.stringMatching(/has no files\.import trigger/) });
    expect(await err(s.start({ flowId: 'people', nodeId: 'keep', body: bytes('a\n1') }))).toMatchObject({ status: 409, code: 'not_a_file_import' });
    expect(await err(s.start({ flowId: 'people', nodeId: 'ghost', body: bytes('a\n1') }))).toMatchObject({ status: 404 });
    expect(await err(s.start({ flowId: 'people', body: bytes('') }))).toMatchObject({ status: 400, code: 'empty_file' });
    expect(await err(s.start({ flowId: 'people', body: bytes('x'.repeat(5000)) }))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(readdirSync(dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    expect(await err(s.get('7d0c1c5e-0000-4000-8000-000000000000'))).toMatchObject({ status: 404 });
  });

  it('resumes an import after a restart: rows already accepted are not repeated', async () => {
    // Nobody runs the flow, so back-pressure holds the first process at ~200 queued runs.
    const a = service({ maxQueuedRuns: 200 });
    const started = await a.start({ flowId: 'resume', filename: 'big.csv', body: bytes(customersCsv(1000)) });
    // Some rows in (a loaded CI machine may record progress late: any accepted row will do).
    await waitUntil(async () => (await a.get(started.id)).rowsAccepted > 0, 60_000);
    await a.close(); // a restart: the lease is handed back
    const stopped = await a.get(started.id);
    expect(stopped.status).toBe('running');
    expect(stopped.rowsAccepted).toBeLessThan(1000);

    const b = service();
    expect(await b.sweep()).toBe(1);
    const done = await finished(b, stopped);
    expect(done).toMatchObject({ status: 'succeeded', rowsRead: 1000, rowsFailed: 0 });
    expect(done.rowsAccepted + done.rowsDuplicate).toBe(1000);
    expect(await runsOf('resume')).toBe(1000);
    const [{ attempts }] = (await sql<{ attempts: number }>(ds, `SELECT attempts FROM imports WHERE id = $1`, [started.id])) as [{ attempts: number }];
    expect(attempts).toBe(2);
  });

  it('takes over an import whose process died, once its lease has run out', async () => {
    const a = service({ maxQueuedRuns: 150 });
    const started = await a.start({ flowId: 'crash', filename: 'c.csv', body: bytes(customersCsv(400)) });
    await waitUntil(async () => (await a.get(started.id)).rowsAccepted >= 100);
    await a.close();
    // As if the process had been killed: its lease still runs for a moment.
    await sql(ds, `UPDATE imports SET owner = 'dead-host:1', lease_until = now() + interval '400 milliseconds' WHERE id = $1`, [started.id]);
    const b = service();
    expect(await b.sweep()).toBe(0);
    await new Promise((r) => setTimeout(r, 450));
    expect(await b.sweep()).toBe(1);
    expect(await finished(b, started)).toMatchObject({ status: 'succeeded', rowsRead: 400 });
    expect(await runsOf('crash')).toBe(400);
  });

  it('cancels a running import: it stops, its file is removed, and a second cancel is refused', async () => {
    const s = service({ maxQueuedRuns: 100 });
    const started = await s.start({ flowId: 'cancel', filename: 'c.csv', body: bytes(customersCsv(1000)) });
    await waitUntil(async () => (await s.get(started.id)).rowsAccepted >= 100);
    const cancelled = await s.cancel(started.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    await s.idle(started.id);
    expect(await runsOf('cancel')).toBeLessThan(1000);
    expect(readdirSync(dir).filter((n) => n.startsWith(started.id))).toEqual([]);
    await expect(s.cancel(started.id)).rejects.toMatchObject({ status: 409, code: 'import_not_cancellable' });
    expect((await s.list({ flowId: 'cancel' })).items.map((i) => i.status)).toEqual(['cancelled']);
  });

  it('fails an import after maxErrors bad rows, keeping the rows before; and a file that cannot be read at all', async () => {
    const s = service();
    const csv = 'name,phone\nA,1\nB,2,x\nC,3\nD,4,y\nE,5\n';
    const strict = await finished(s, await s.start({ flowId: 'strict2', filename: 'bad.csv', body: bytes(csv) }));
    expect(strict).toMatchObject({ status: 'failed', rowsAccepted: 2, rowsFailed: 2, error: { code: 'too_many_errors' } });
    expect(strict.errors.map((e) => e.line)).toEqual([3, 5]);

    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const broken = await finished(s, await s.start({ flowId: 'broken', filename: 'old.xls', body: bytes(xls) }));
    expect(broken).toMatchObject({ status: 'failed', rowsRead: 0, error: { code: 'xls_unsupported', message: expect.stringMatching(/save it as \.xlsx or CSV/) } });
  });

  it('fails an import whose file is gone for good (its process and disk are lost)', async () => {
    const s = service({ orphanAfterMs: 1 });
    const [row] = await sql<{ id: string }>(ds,
      `INSERT INTO imports (id, flow_id, flow_version, node_id, config, file_name, file_path, file_sha256, status, bytes_total, owner, lease_until)
       VALUES (gen_random_uuid(), 'people', 1, 'file', '{}', 'lost.csv', '/nonexistent/lost.upload', 'x', 'running', 10, 'gone:1', now() - interval '1 minute')
       RETURNING id`,
    );
    expect(await s.sweep()).toBe(0);
    expect(await s.get(row!.id)).toMatchObject({ status: 'failed', error: { code: 'file_gone' } });
    expect(existsSync('/nonexistent/lost.upload')).toBe(false);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
