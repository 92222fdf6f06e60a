import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { compileNodeConfig, ConfigError, storableJson, type Logger, type NodeRegistry } from '@tributary/engine';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { sql } from '../db/sql.js';
import type { FlowService } from '../flows/flow.service.js';
import type { RunStore } from '../runs/run.store.js';
import type { RunEnqueuer } from '../queue/run-enqueuer.js';
import type { ImportOptions } from './import.config.js';
import { ImportProcessor } from './import.processor.js';
import type { ImportRecord, ImportStatus, ImportSummary, ImportView } from './import.types.js';
import { storeUpload } from './import-upload.util.js';

/** The node type whose flows accept file imports. */
export const FILE_IMPORT_NODE = 'files.import';

export interface ImportServiceDeps {
  ds: DataSource;
  flows: FlowService;
  registry: NodeRegistry;
  runs: RunStore;
  enqueuer: Pick<RunEnqueuer, 'enqueue'>;
  log: Logger;
  options: ImportOptions;
}

export interface StartImport {
  flowId: string;
  /** The files.import node; optional when the flow has exactly one. */
  nodeId?: string;
  filename?: string;
  body: Readable | AsyncIterable<Buffer | Uint8Array>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Bulk imports through a flow (files.import). `start` stores the upload durably, records the
 * import and answers; the rows are then read in the background, in this process, each
 * becoming one run of the flow. An import whose process died (its lease ran out) is resumed
 * by the next process that has its file: every process sweeps for them.
 */
export class ImportService {
  /** This process, as the lease owner of the imports it reads. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;
  private closed = false;

  constructor(private readonly deps: ImportServiceDeps) {}

  /** Stores the file, records the import (status running) and starts reading it; resolves once the file is durable. */
  async start(req: StartImport): Promise<ImportView> {
    if (this.closed) throw new AppError(503, 'unavailable', 'the server is shutting down');
    const target = await this.target(req.flowId, req.nodeId);
    const id = randomUUID();
    const fileName = cleanFileName(req.filename);
    const stored = await storeUpload(req.body, { dir: this.deps.options.dir, id, maxBytes: this.deps.options.maxBytes });
    let rec: ImportRecord;
    try {
      [rec] = (await sql<ImportRecord>(this.deps.ds,
        `INSERT INTO imports (id, flow_id, flow_version, node_id, config, file_name, file_path, file_sha256, status, bytes_total, owner, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', $9, $10, now() + ($11 || ' milliseconds')::interval)
         RETURNING *`,
        [id, req.flowId, target.version, target.nodeId, storableJson(target.config), fileName, stored.path, stored.sha256, stored.bytes, this.owner, String(this.deps.options.leaseMs)],
      )) as [ImportRecord];
    } catch (err) {
      await unlink(stored.path).catch(() => undefined);
      throw err;
    }
    this.deps.log.info('import started', { importId: id, flowId: req.flowId, nodeId: target.nodeId, file: fileName, bytes: stored.bytes });
    this.launch(rec);
    return toView(rec);
  }

  async get(id: string, opts: { errorsFrom?: number } = {}): Promise<ImportView> {
    if (!UUID.test(id)) throw notFound('import', id);
    const [rec] = await sql<ImportRecord>(this.deps.ds, `SELECT * FROM imports WHERE id = $1`, [id]);
    if (!rec) throw notFound('import', id);
    const view = toView(rec);
    if (opts.errorsFrom) view.errors = view.errors.slice(opts.errorsFrom);
    return view;
  }

  async list(q: { flowId?: string; status?: string; limit?: number } = {}): Promise<{ items: ImportSummary[] }> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.flowId) {
      params.push(q.flowId);
      where.push(`flow_id = $${params.length}`);
    }
    if (q.status) {
      const statuses = q.status.split(',');
      for (const s of statuses) if (!['running', 'succeeded', 'failed', 'cancelled'].includes(s)) throw badRequest('invalid_status', `unknown import status ${s}`);
      params.push(statuses);
      where.push(`status = ANY($${params.length}::text[])`);
    }
    params.push(limit);
    const rows = await sql<ImportRecord>(this.deps.ds,
      `SELECT * FROM imports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return {
      items: rows.map((r) => {
        const { errors: _errors, file: _file, ...summary } = toView(r);
        return summary;
      }),
    };
  }

  /** Stops a running import; rows already accepted keep their runs. */
  async cancel(id: string): Promise<ImportView> {
    if (!UUID.test(id)) throw notFound('import', id);
    const rows = await sql<{ file_path: string | null }>(this.deps.ds,
      `WITH old AS (SELECT id, file_path FROM imports WHERE id = $1 AND status = 'running' FOR UPDATE)
       UPDATE imports i SET status = 'cancelled', error = '{"code":"cancelled","message":"cancelled by an operator"}', finished_at = now(),
              updated_at = now(), owner = NULL, lease_until = NULL, file_path = NULL
       FROM old WHERE i.id = old.id AND i.status = 'running'
       RETURNING old.file_path`,
      [id],
    );
    if (rows.length === 0) {
      const current = await this.get(id);
      throw conflict('import_not_cancellable', `import ${id} has already finished (${current.status})`);
    }
    this.active.get(id)?.abort.abort();
    if (rows[0]!.file_path) await unlink(rows[0]!.file_path).catch(() => undefined);
    this.deps.log.info('import cancelled', { importId: id });
    return this.get(id);
  }

  /** Resumes imports left running by a process that stopped, now and every sweepEveryMs. */
  startSweeper(): void {
    if (this.sweepTimer || this.closed) return;
    const tick = () => {
      this.sweeping ??= this.sweep()
        .catch((err) => this.deps.log.warn('import sweep failed', { error: String(err) }))
        .finally(() => (this.sweeping = undefined));
    };
    tick();
    this.sweepTimer = setInterval(tick, this.deps.options.sweepEveryMs);
    this.sweepTimer.unref();
  }

  /**
   * Claims running imports whose lease ran out and whose file is here, and resumes them;
   * fails those whose file is nowhere to be found. Returns the number resumed.
   */
  async sweep(): Promise<number> {
    const { ds, options } = this.deps;
    const stale = await sql<{ id: string; file_path: string | null; orphaned: boolean }>(ds,
      `SELECT id, file_path, lease_until < now() - ($1 || ' milliseconds')::interval AS orphaned
       FROM imports WHERE status = 'running' AND (lease_until IS NULL OR lease_until < now())`,
      [String(options.orphanAfterMs)],
    );
    let resumed = 0;
    for (const s of stale) {
      if (this.closed) break;
      if (this.active.has(s.id)) continue;
      if (!s.file_path || !existsSync(s.file_path)) {
        if (s.orphaned) {
          await this.fail(s.id, { code: 'file_gone', message: 'the uploaded file is no longer available (the process that stored it is gone): upload it again; rows already imported will not be imported twice' });
        }
        continue;
      }
      const [rec] = await sql<ImportRecord>(ds,
        `UPDATE imports SET owner = $2, lease_until = now() + ($3 || ' milliseconds')::interval, attempts = attempts + 1, updated_at = now()
         WHERE id = $1 AND status = 'running' AND (lease_until IS NULL OR lease_until < now()) RETURNING *`,
        [s.id, this.owner, String(options.leaseMs)],
      );
      if (!rec) continue;
      if (rec.attempts > options.maxAttempts) {
        await this.fail(rec.id, { code: 'too_many_attempts', message: `gave up after ${options.maxAttempts} attempts; see the server log` });
        continue;
      }
      this.deps.log.info('resuming import', { importId: rec.id, flowId: rec.flow_id, checkpoint: Number(rec.checkpoint), attempt: rec.attempts });
      this.launch(rec);
      resumed++;
    }
    await this.removeStrayFiles().catch(() => undefined);
    return resumed;
  }

  /** Resolves when this process has no import running (or the given one has stopped). Tests and shutdown. */
  async idle(id?: string): Promise<void> {
    if (id) return this.active.get(id)?.done;
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Stops reading (imports stay `running`) and hands their leases back so that the next process resumes them at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
    for (const a of this.active.values()) a.abort.abort();
    await this.idle();
    await sql(this.deps.ds, `UPDATE imports SET lease_until = now(), owner = NULL WHERE owner = $1 AND status = 'running'`, [this.owner]).catch(() => undefined);
  }

  private launch(rec: ImportRecord): void {
    const abort = new AbortController();
    const processor = new ImportProcessor({ ...this.deps, owner: this.owner }, rec, abort.signal);
    const done = processor
      .run()
      .catch(async (err) => {
        // A database or disk error: hand the lease back; the sweep tries again (attempts are counted).
        this.deps.log.error('import interrupted by an error; it will be resumed', { importId: rec.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        await sql(this.deps.ds, `UPDATE imports SET owner = NULL, lease_until = now() WHERE id = $1 AND owner = $2 AND status = 'running'`, [rec.id, this.owner]).catch(() => undefined);
      })
      .finally(() => this.active.delete(rec.id));
    this.active.set(rec.id, { abort, done });
  }

  private async fail(id: string, error: { code: string; message: string }): Promise<void> {
    const rows = await sql<{ file_path: string | null }>(this.deps.ds,
      `WITH old AS (SELECT id, file_path FROM imports WHERE id = $1 AND status = 'running' FOR UPDATE)
       UPDATE imports i SET status = 'failed', error = $2::jsonb, finished_at = now(), updated_at = now(), owner = NULL, lease_until = NULL, file_path = NULL
       FROM old WHERE i.id = old.id AND i.status = 'running' RETURNING old.file_path`,
      [id, storableJson(error)],
    );
    if (rows[0]?.file_path) await unlink(rows[0].file_path).catch(() => undefined);
    if (rows.length) this.deps.log.warn('import failed', { importId: id, ...error });
  }

  /** Uploads left by a crash between storing and recording, or by an import finished elsewhere; an hour old at least. */
  private async removeStrayFiles(): Promise<void> {
    const dir = this.deps.options.dir;
    if (!existsSync(dir)) return;
    const names = (await readdir(dir)).filter((n) => /^[0-9a-f-]{36}\.(part|upload)$/.test(n));
    if (names.length === 0) return;
    const ids = names.map((n) => n.slice(0, 36));
    const running = new Set((await sql<{ id: string }>(this.deps.ds, `SELECT id::text FROM imports WHERE id = ANY($1::uuid[]) AND status = 'running'`, [ids])).map((r) => r.id));
    for (const n of names) {
      if (running.has(n.slice(0, 36))) continue;
      const path = join(dir, n);
      const s = await stat(path).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > 3_600_000) await unlink(path).catch(() => undefined);
    }
  }

  /** The flow version and files.import node an upload goes to, checked before any byte is read. */
  private async target(flowId: string, nodeId?: string): Promise<{ version: number; nodeId: string; config: Record<string, unknown> }> {
    const flow = await this.deps.flows.get(flowId);
    // The published version, like webhooks; an unpublished flow imports into its latest draft, like a manual run.
    const version = flow.publishedVersion ?? flow.version;
    const doc = await this.deps.flows.getVersion(flowId, version);
    const importers = doc.nodes.filter((n) => n.type === FILE_IMPORT_NODE);
    let node;
    if (nodeId) {
      node = doc.nodes.find((n) => n.id === nodeId);
      if (!node) throw new AppError(404, 'not_found', `flow ${flowId} has no node ${nodeId}`, { flowId, nodeId });
      if (node.type !== FILE_IMPORT_NODE) {
        throw conflict('not_a_file_import', `node ${nodeId} of flow ${flowId} is a ${node.type}, not a ${FILE_IMPORT_NODE} trigger`, { flowId, nodeId });
      }
    } else {
      if (importers.length === 0) {
        throw conflict('no_file_import_trigger', `flow ${flowId} (version ${version}) has no ${FILE_IMPORT_NODE} trigger to import files through: add one as its trigger (see flows/customer-import.flow.json)`, { flowId, version });
      }
      if (importers.length > 1) {
        throw conflict('several_file_import_triggers', `flow ${flowId} has several ${FILE_IMPORT_NODE} triggers (${importers.map((n) => n.id).join(', ')}): say which with node=<id>`, { flowId, nodes: importers.map((n) => n.id) });
      }
      node = importers[0]!;
    }
    if (node.disabled) throw conflict('node_disabled', `node ${node.id} of flow ${flowId} is disabled`, { flowId, nodeId: node.id });
    const def = this.deps.registry.get(node.type, node.version);
    if (!def) throw conflict('unknown_node', `flow ${flowId} uses ${node.type}@${node.version}, which this server does not have`);
    let config: Record<string, unknown>;
    try {
      config = compileNodeConfig<Record<string, unknown>>(def, node.config);
    } catch (err) {
      if (err instanceof ConfigError) throw conflict('flow_invalid', `the config of node ${node.id} is invalid: ${err.message}`, err.issues);
      throw err;
    }
    return { version, nodeId: node.id, config };
  }
}

function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const n = basename((name ?? '').replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return n || 'upload';
}

function toView(r: ImportRecord): ImportView {
  const status: ImportStatus = r.status;
  const bytesTotal = Number(r.bytes_total);
  const bytesRead = Number(r.bytes_read);
  const rowsRead = Number(r.rows_read);
  const end = r.finished_at ?? r.updated_at;
  const seconds = (new Date(end).getTime() - new Date(r.created_at).getTime()) / 1000;
  const rate = r.bytes_per_second;
  return {
    id: r.id,
    flowId: r.flow_id,
    flowVersion: r.flow_version,
    nodeId: r.node_id,
    fileName: r.file_name,
    sha256: r.file_sha256,
    status,
    rowsRead,
    rowsAccepted: Number(r.rows_accepted),
    rowsDuplicate: Number(r.rows_duplicate),
    rowsFailed: Number(r.rows_failed),
    errors: r.errors,
    bytesRead,
    bytesTotal,
    // Bytes still to read at the current rate; unknown once all bytes are read but rows are not (an xlsx sheet spooled to disk).
    etaSeconds: status === 'running' && rate && rate > 0 && bytesRead < bytesTotal ? Math.ceil((bytesTotal - bytesRead) / rate) : null,
    rowsPerSecond: seconds > 0 && rowsRead > 0 ? Math.round(rowsRead / seconds) : null,
    error: r.error,
    file: r.file_info,
    createdAt: ISO(r.created_at)!,
    updatedAt: ISO(r.updated_at)!,
    finishedAt: ISO(r.finished_at),
  };
}
