import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { storableJson, type Item, type Logger } from '@tributary/engine';
import { FileFormatError, readRows, type FileImportConfig, type FileInfo } from '@tributary/connector-files';
import { sql } from '../db/sql.js';
import type { RunStore } from '../runs/run.store.js';
import type { RunEnqueuer } from '../queue/run-enqueuer.js';
import type { ImportOptions } from './import.config.js';
import type { ImportRecord, ImportRowError, ImportView } from './import.types.js';
import { OccurrenceCounter, rowDedupeKey, rowDigest } from './row-key.util.js';

/** Bad rows kept with their messages per import; the rest are only counted. */
export const ERRORS_KEPT = 1000;
// Batches whose runs may be waiting to be put on the queue while the next ones are read.
const ENQUEUES_IN_FLIGHT = 3;

export interface ImportProcessorDeps {
  ds: DataSource;
  runs: RunStore;
  enqueuer: Pick<RunEnqueuer, 'enqueue'>;
  log: Logger;
  options: ImportOptions;
  /** This process, as written in imports.owner. */
  owner: string;
}

/** This process no longer holds the import: it was cancelled, or another process took it over. */
class LostImport extends Error {}

/**
 * Reads one stored upload and turns each row into a run of the flow, in batches: accept
 * (one INSERT per batch, duplicates by dedupe key reported, not stored) → enqueue → progress
 * and checkpoint in one UPDATE that also renews this process's lease. After a restart the
 * file is read again from the start, rebuilding the occurrence counts, and rows up to the
 * checkpoint are skipped without a round trip.
 */
export class ImportProcessor {
  private readonly counter = new OccurrenceCounter();
  private batch: { dedupeKey: string; item: Item }[] = [];
  private newErrors: ImportRowError[] = [];
  private delta = { accepted: 0, duplicate: 0, failed: 0 };
  private failedTotal: number;
  private errorsKept: number;
  private readonly checkpoint: number;
  private index = 0;
  private bytesRead = 0;
  private bytesAtStart = 0;
  private info: FileInfo | null;
  private infoChanged = false;
  private readonly startedAt = Date.now();
  private lastWrite = Date.now();
  private readonly config: FileImportConfig;
  /** Runs the flow may still take before back-pressure applies, as of the last count. */
  private room = 0;
  /** Enqueues of the last batches, overlapping with the next batches' reading and accepting. */
  private enqueuing: Promise<unknown>[] = [];

  constructor(
    private readonly deps: ImportProcessorDeps,
    private readonly rec: ImportRecord,
    private readonly signal: AbortSignal,
  ) {
    this.checkpoint = Number(rec.checkpoint);
    this.failedTotal = Number(rec.rows_failed);
    this.errorsKept = rec.errors.length;
    this.info = rec.file_info;
    this.config = rec.config as unknown as FileImportConfig;
  }

  /** Resolves when the import is finished, cancelled, taken over, or this process is stopping. */
  async run(): Promise<void> {
    const { rec } = this;
    if (!rec.file_path) throw new Error(`import ${rec.id} has no stored file`);
    const file = createReadStream(rec.file_path, { highWaterMark: 256 * 1024 });
    const counted = this.countBytes(file);
    const onInfo = (info: FileInfo) => {
      this.info = info;
      this.infoChanged = true;
    };
    try {
      for await (const row of readRows(counted, this.config, { filename: rec.file_name, onInfo })) {
        if (this.signal.aborted) return;
        this.index++;
        if (row.error !== undefined) {
          if (this.index > this.checkpoint) this.rowFailed(row.line, row.error);
        } else {
          const digest = rowDigest(row.item);
          const occurrence = this.counter.next(digest);
          if (this.index > this.checkpoint) {
            this.batch.push({ dedupeKey: rowDedupeKey(digest, occurrence), item: { ...row.item, _import: { id: rec.id, file: rec.file_name, line: row.line } } });
          }
        }
        if (this.config.maxErrors > 0 && this.failedTotal >= this.config.maxErrors) {
          await this.finish('failed', { code: 'too_many_errors', message: `stopped after ${this.failedTotal} bad rows (maxErrors is ${this.config.maxErrors}); the rows before were imported` });
          return;
        }
        if (this.batch.length >= this.deps.options.batchSize || Date.now() - this.lastWrite >= this.deps.options.progressEveryMs) await this.commit();
      }
      if (this.signal.aborted) return;
      await this.finish('succeeded', null);
    } catch (err) {
      if (err instanceof LostImport || this.signal.aborted) return;
      if (err instanceof FileFormatError) {
        await this.finish('failed', { code: err.code, message: err.message, ...(err.line ? { line: err.line } : {}) }).catch((e: unknown) => {
          if (!(e instanceof LostImport)) throw e;
        });
        return;
      }
      throw err;
    } finally {
      file.destroy();
    }
  }

  private async *countBytes(file: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of file) {
      this.bytesRead += chunk.length;
      yield chunk;
    }
  }

  private rowFailed(line: number, message: string): void {
    this.delta.failed++;
    this.failedTotal++;
    if (this.errorsKept < ERRORS_KEPT) {
      this.newErrors.push({ line, message });
      this.errorsKept++;
    }
  }

  /** Accepts and enqueues the pending rows, then writes progress, checkpoint and lease in one statement. */
  private async commit(): Promise<void> {
    const { rec, deps } = this;
    if (this.batch.length) {
      await this.waitForRoom();
      const batch = this.batch;
      this.batch = [];
      const accepted = await deps.runs.acceptMany(
        batch.map((b) => ({ flowId: rec.flow_id, flowVersion: rec.flow_version, triggerNode: rec.node_id, triggerKind: 'manual' as const, dedupeKey: b.dedupeKey, items: [b.item] })),
      );
      const fresh = accepted.filter((a) => !a.duplicate);
      this.delta.accepted += fresh.length;
      this.delta.duplicate += accepted.length - fresh.length;
      this.room -= fresh.length;
      // The enqueuer never throws: a run it could not enqueue is committed as queued and the recovery sweep enqueues it.
      if (this.enqueuing.length >= ENQUEUES_IN_FLIGHT) await this.enqueuing.shift();
      this.enqueuing.push(Promise.all(fresh.map((a) => deps.enqueuer.enqueue(a.runId, a.jobId))));
    }
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const rate = elapsed > 0.5 ? (this.bytesRead - this.bytesAtStart) / elapsed : null;
    const rows = await sql(deps.ds,
      `UPDATE imports SET checkpoint = GREATEST(checkpoint, $2), rows_read = GREATEST(rows_read, $2),
              rows_accepted = rows_accepted + $3, rows_duplicate = rows_duplicate + $4, rows_failed = rows_failed + $5,
              errors = errors || $6::jsonb, bytes_read = GREATEST(bytes_read, $7), bytes_per_second = COALESCE($8, bytes_per_second),
              file_info = COALESCE($9::jsonb, file_info), lease_until = now() + ($10 || ' milliseconds')::interval, updated_at = now()
       WHERE id = $1 AND status = 'running' AND owner = $11 RETURNING id`,
      [
        rec.id,
        this.index,
        this.delta.accepted,
        this.delta.duplicate,
        this.delta.failed,
        storableJson(this.newErrors),
        Math.min(this.bytesRead, Number(rec.bytes_total)),
        rate,
        this.infoChanged ? storableJson(this.info) : null,
        String(deps.options.leaseMs),
        deps.owner,
      ],
    );
    this.delta = { accepted: 0, duplicate: 0, failed: 0 };
    this.newErrors = [];
    this.infoChanged = false;
    this.lastWrite = Date.now();
    if (rows.length === 0) throw new LostImport();
  }

  /** Back-pressure: waits while the flow already has maxQueuedRuns runs waiting or running, renewing the lease meanwhile. */
  private async waitForRoom(): Promise<void> {
    const { rec, deps } = this;
    if (this.room >= this.batch.length) return; // no need to count yet
    let renewedAt = Date.now();
    for (;;) {
      const [row] = await sql<{ n: number }>(deps.ds, `SELECT count(*)::int AS n FROM runs WHERE flow_id = $1 AND status IN ('queued', 'running')`, [rec.flow_id]);
      const waiting = row?.n ?? 0;
      this.room = deps.options.maxQueuedRuns - waiting;
      if (waiting === 0 || this.room >= this.batch.length) return;
      if (this.signal.aborted) throw new LostImport();
      if (Date.now() - renewedAt > deps.options.leaseMs / 3) {
        const held = await sql(deps.ds,
          `UPDATE imports SET lease_until = now() + ($2 || ' milliseconds')::interval, updated_at = now() WHERE id = $1 AND status = 'running' AND owner = $3 RETURNING id`,
          [rec.id, String(deps.options.leaseMs), deps.owner],
        );
        if (held.length === 0) throw new LostImport();
        renewedAt = Date.now();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async finish(status: 'succeeded' | 'failed', error: ImportView['error']): Promise<void> {
    await this.commit();
    await Promise.all(this.enqueuing);
    const rows = await sql(this.deps.ds,
      `UPDATE imports SET status = $2, error = $3::jsonb, finished_at = now(), updated_at = now(), owner = NULL, lease_until = NULL,
              file_path = NULL, bytes_read = CASE WHEN $2 = 'succeeded' THEN bytes_total ELSE bytes_read END
       WHERE id = $1 AND status = 'running' AND owner = $4 RETURNING id`,
      [this.rec.id, status, error ? storableJson(error) : null, this.deps.owner],
    );
    if (rows.length === 0) throw new LostImport();
    // The upload was only kept to be read; its rows live on as runs.
    await unlink(this.rec.file_path!).catch(() => undefined);
    this.deps.log.info('import finished', { importId: this.rec.id, flowId: this.rec.flow_id, status, rows: this.index, error: error?.message });
  }
}
