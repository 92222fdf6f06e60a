import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { storableJson, type StepRecord } from '@tributary/engine';
import { Batcher } from '../util/batcher.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { AcceptedRun, LoadedRun, NewRun, RunStatus, RunSummary, RunView } from './run.types.js';
import { sql } from '../db/sql.js';

const ISO = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
// JSON text Postgres stores (storableJson: no NUL, no lone surrogate), made when a call is
// submitted: a value that cannot be written fails its own call, never the batch it would join.
const json = (v: unknown) => (v === undefined || v === null ? null : storableJson(v));

interface FinishInput {
  runId: string;
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>;
  /** JSON text. */
  error: string | null;
  steps: StepRow[];
}

/** A step checkpoint with its JSON columns as text. */
interface StepRow {
  runId: string;
  record: StepRecord;
  input: string | null;
  output: string | null;
  error: string | null;
}

function stepRow(runId: string, record: StepRecord): StepRow {
  return { runId, record, input: json(record.input), output: json(record.output), error: json(record.error) };
}

/** `fn()`, or its exception as a rejected promise (a batcher's submit must not throw). */
function attempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

const STEP_UPSERT = `INSERT INTO run_steps (run_id, node_id, status, attempts, input, output, error, started_at, finished_at, seq, resume_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::jsonb[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::timestamptz[], $10::int[], $11::timestamptz[])
       ON CONFLICT (run_id, node_id) DO UPDATE SET
         seq = excluded.seq, status = excluded.status, attempts = excluded.attempts, input = excluded.input, output = excluded.output,
         error = excluded.error, started_at = excluded.started_at, finished_at = excluded.finished_at, resume_at = excluded.resume_at`;

/** Columns of STEP_UPSERT for a set of step records; the same step twice keeps the latest (Postgres refuses both in one statement). */
function stepColumns(batch: StepRow[]): unknown[] {
  const latest = new Map<string, StepRow>();
  for (const b of batch) latest.set(`${b.runId}\0${b.record.nodeId}`, b);
  // A fixed order, so concurrent statements lock rows in the same order.
  const rows = [...latest.values()].sort((a, b) => (a.runId + a.record.nodeId < b.runId + b.record.nodeId ? -1 : 1));
  return [
    rows.map((r) => r.runId),
    rows.map((r) => r.record.nodeId),
    rows.map((r) => r.record.status),
    rows.map((r) => r.record.attempts),
    rows.map((r) => r.input),
    rows.map((r) => r.output),
    rows.map((r) => r.error),
    rows.map((r) => r.record.startedAt),
    rows.map((r) => r.record.finishedAt),
    rows.map((r) => r.record.seq ?? 0),
    rows.map((r) => r.record.resumeAt ?? null),
  ];
}

/**
 * Runs and their step checkpoints in Postgres, the source of truth (the queue only
 * carries run ids). Every write on the hot path goes through a Batcher, so many
 * concurrent runs share one statement and one commit.
 */
export class RunStore {
  private readonly inserts: Batcher<NewRun & { id: string; inputJson: string }, AcceptedRun>;
  private readonly claims: Batcher<string, LoadedRun | null>;
  private readonly steps: Batcher<StepRow, void>;
  private readonly finishes: Batcher<FinishInput, boolean>;

  constructor(private readonly ds: DataSource, opts: { maxBatch?: number; maxWaitMs?: number } = {}) {
    const maxSize = opts.maxBatch ?? 500;
    // Group commit without a timer: batches grow with the load (see Batcher).
    const maxWaitMs = opts.maxWaitMs ?? 0;
    this.inserts = new Batcher({ maxSize, maxWaitMs, flush: (b) => this.flushInserts(b) });
    this.claims = new Batcher({ maxSize, maxWaitMs, flush: (b) => this.flushClaims(b) });
    this.steps = new Batcher({ maxSize, maxWaitMs, flush: (b) => this.flushSteps(b) });
    this.finishes = new Batcher({ maxSize, maxWaitMs, flush: (b) => this.flushFinishes(b) });
  }

  /** Durably stores new runs (one commit for the batch); duplicates by dedupe key are reported, not stored. */
  accept(run: NewRun): Promise<AcceptedRun> {
    return attempt(() => this.inserts.submit({ ...run, id: randomUUID(), inputJson: storableJson(run.items) }));
  }

  acceptMany(runs: NewRun[]): Promise<AcceptedRun[]> {
    return Promise.all(runs.map((r) => this.accept(r)));
  }

  /**
   * Marks a queued or running run `running` and returns it with its step checkpoints, in
   * one statement; null when it does not exist, finished already or was cancelled.
   */
  claim(runId: string): Promise<LoadedRun | null> {
    return this.claims.submit(runId);
  }

  saveStep(runId: string, record: StepRecord): Promise<void> {
    return attempt(() => this.steps.submit(stepRow(runId, record)));
  }

  saveSteps(runId: string, records: StepRecord[]): Promise<void> {
    return Promise.all(records.map((record) => this.saveStep(runId, record))).then(() => undefined);
  }

  /**
   * Sets the terminal status unless the run was cancelled meanwhile, writing the given
   * last step checkpoints in the same statement; false when the status did not change.
   */
  finish(runId: string, status: FinishInput['status'], error?: unknown, steps: StepRecord[] = []): Promise<boolean> {
    return attempt(() => this.finishes.submit({ runId, status, error: json(error ?? null), steps: steps.map((record) => stepRow(runId, record)) }));
  }

  async drain(): Promise<void> {
    await Promise.all([this.inserts.drain(), this.claims.drain(), this.steps.drain(), this.finishes.drain()]);
  }

  // --- flushes ---------------------------------------------------------------

  private async flushInserts(batch: (NewRun & { id: string; inputJson: string })[]): Promise<AcceptedRun[]> {
    const rows = batch.map((r) => ({ ...r, dedupeKey: r.dedupeKey ?? `run:${r.id}` }));
    const inserted: { id: string }[] = await sql(this.ds,
      `INSERT INTO runs (id, flow_id, flow_version, trigger_node, trigger_kind, dedupe_key, job_id, status, input)
       SELECT id, flow_id, flow_version, trigger_node, trigger_kind, dedupe_key, id::text, 'queued', input
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
         AS v(id, flow_id, flow_version, trigger_node, trigger_kind, dedupe_key, input)
       ON CONFLICT (flow_id, trigger_node, dedupe_key) DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.flowId),
        rows.map((r) => r.flowVersion),
        rows.map((r) => r.triggerNode),
        rows.map((r) => r.triggerKind),
        rows.map((r) => r.dedupeKey),
        rows.map((r) => r.inputJson),
      ],
    );
    const fresh = new Set(inserted.map((r) => r.id));
    const dupes = rows.filter((r) => !fresh.has(r.id));
    const existing = new Map<string, { id: string; job_id: string }>();
    if (dupes.length > 0) {
      const found: { id: string; job_id: string; flow_id: string; trigger_node: string; dedupe_key: string }[] = await sql(
        this.ds,
        `SELECT r.id, r.job_id, r.flow_id, r.trigger_node, r.dedupe_key
         FROM unnest($1::text[], $2::text[], $3::text[]) AS v(flow_id, trigger_node, dedupe_key)
         JOIN runs r USING (flow_id, trigger_node, dedupe_key)`,
        [dupes.map((d) => d.flowId), dupes.map((d) => d.triggerNode), dupes.map((d) => d.dedupeKey)],
      );
      for (const f of found) existing.set(`${f.flow_id}\0${f.trigger_node}\0${f.dedupe_key}`, f);
    }
    return rows.map((r) => {
      if (fresh.has(r.id)) return { runId: r.id, jobId: r.id, duplicate: false };
      const e = existing.get(`${r.flowId}\0${r.triggerNode}\0${r.dedupeKey}`);
      if (!e) throw new Error(`run for dedupe key ${r.dedupeKey} vanished`);
      return { runId: e.id, jobId: e.job_id, duplicate: true };
    });
  }

  private async flushClaims(ids: string[]): Promise<(LoadedRun | null)[]> {
    const rows: Array<{
      id: string;
      flow_id: string;
      flow_version: number;
      trigger_node: string;
      status: RunStatus;
      input: unknown;
      job_id: string;
      retries: number;
      steps: Array<{ nodeId: string; status: StepRecord['status']; attempts: number; output: StepRecord['output']; error: StepRecord['error']; startedAt: string | null; finishedAt: string | null; seq: number; resumeAt: string | null }>;
    }> = await sql(this.ds,
      `UPDATE runs r SET status = 'running', started_at = COALESCE(r.started_at, now()), updated_at = now()
       WHERE r.id = ANY($1::uuid[]) AND r.status IN ('queued', 'running', 'waiting')
       RETURNING r.id, r.flow_id, r.flow_version, r.trigger_node, r.status, r.input, r.job_id, r.retries,
              COALESCE((SELECT json_agg(json_build_object(
                  'nodeId', s.node_id, 'status', s.status, 'attempts', s.attempts, 'output', s.output,
                  'error', s.error, 'startedAt', s.started_at, 'finishedAt', s.finished_at, 'seq', s.seq, 'resumeAt', s.resume_at))
                FROM run_steps s WHERE s.run_id = r.id), '[]'::json) AS steps`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      if (!r) return null;
      const checkpoints = new Map<string, StepRecord>();
      for (const s of r.steps) {
        checkpoints.set(s.nodeId, {
          nodeId: s.nodeId,
          status: s.status,
          attempts: s.attempts,
          input: [],
          output: s.output,
          error: s.error,
          startedAt: s.startedAt ? new Date(s.startedAt).toISOString() : null,
          finishedAt: s.finishedAt ? new Date(s.finishedAt).toISOString() : null,
          seq: s.seq,
          resumeAt: s.resumeAt ? new Date(s.resumeAt).toISOString() : null,
        });
      }
      return {
        id: r.id,
        flowId: r.flow_id,
        flowVersion: r.flow_version,
        triggerNode: r.trigger_node,
        status: r.status,
        input: (r.input as LoadedRun['input']) ?? null,
        jobId: r.job_id,
        retries: r.retries,
        checkpoints,
      };
    });
  }

  private async flushSteps(batch: StepRow[]): Promise<void[]> {
    await sql(this.ds, STEP_UPSERT, stepColumns(batch));
    return batch.map(() => undefined);
  }

  private async flushFinishes(batch: FinishInput[]): Promise<boolean[]> {
    const steps = batch.flatMap((b) => b.steps);
    const finish = `UPDATE runs r SET status = v.status, error = v.error, finished_at = now(), updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS v(id, status, error)
       WHERE r.id = v.id AND r.status IN ('queued', 'running', 'waiting')
       RETURNING r.id`;
    const params = [batch.map((b) => b.runId), batch.map((b) => b.status), batch.map((b) => b.error)];
    // The last checkpoints and the end of the run in one statement (a data-modifying CTE): one round trip, one commit.
    const rows: { id: string }[] = steps.length
      ? await sql(
          this.ds,
          `WITH steps AS (${STEP_UPSERT.replace(/\$(\d+)/g, (_m, n) => `$${Number(n) + 3}`)}), done AS (${finish}) SELECT id FROM done`,
          [...params, ...stepColumns(steps)],
        )
      : await sql(this.ds, finish, params);
    const ok = new Set(rows.map((r) => r.id));
    return batch.map((b) => ok.has(b.runId));
  }

  // --- reads and operator actions (API) -------------------------------------------

  async get(id: string): Promise<RunView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('run', id);
    const rows: any[] = await sql(this.ds, `SELECT * FROM runs WHERE id = $1`, [id]);
    const r = rows[0];
    if (!r) throw notFound('run', id);
    const steps: any[] = await sql(this.ds,
      `SELECT * FROM run_steps WHERE run_id = $1 ORDER BY seq, started_at NULLS LAST, node_id`,
      [id],
    );
    return {
      id: r.id,
      flowId: r.flow_id,
      flowVersion: r.flow_version,
      status: r.status,
      trigger: { nodeId: r.trigger_node, kind: r.trigger_kind, dedupeKey: r.dedupe_key, items: r.input },
      error: r.error,
      retries: r.retries,
      createdAt: ISO(r.created_at)!,
      startedAt: ISO(r.started_at),
      finishedAt: ISO(r.finished_at),
      resumeAt: r.status === 'waiting' ? ISO(r.resume_at) : null,
      steps: steps.map((s) => ({
        nodeId: s.node_id,
        status: s.status,
        attempts: s.attempts,
        startedAt: ISO(s.started_at),
        finishedAt: ISO(s.finished_at),
        input: s.input,
        output: s.output,
        error: s.error,
        resumeAt: s.status === 'waiting' ? ISO(s.resume_at) : null,
      })),
    };
  }

  /**
   * A cheap fingerprint of a run and its steps (live views poll it): it changes whenever the run's status
   * or any step's status or attempts change. `null` when the run does not exist.
   */
  async changeMark(id: string): Promise<string | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows: { mark: string }[] = await sql(this.ds,
      `SELECT r.status || '|' || r.updated_at::text || '|' || COALESCE((SELECT string_agg(s.node_id || ':' || s.status || ':' || s.attempts, ',' ORDER BY s.node_id)
         FROM run_steps s WHERE s.run_id = r.id), '') AS mark FROM runs r WHERE r.id = $1`,
      [id],
    );
    return rows[0]?.mark ?? null;
  }

  /**
   * A cheap fingerprint of the run list (optionally of one flow), read every 500 ms by each open runs page.
   * All runs: the newest run, the newest finish, and the unfinished runs' newest change and number, each
   * read from an index (a new run, a start, a finish, a retry or a cancel moves one of them), so its cost
   * does not grow with the table (a max and count over every run took 60 ms at 100,000 runs). One flow:
   * the newest change and the number of its runs, over that flow's rows only.
   */
  async listMark(flowId?: string): Promise<string> {
    const rows: { mark: string }[] = flowId
      ? await sql(this.ds, `SELECT COALESCE(max(updated_at)::text, '') || '|' || count(*) AS mark FROM runs WHERE flow_id = $1`, [flowId])
      : await sql(this.ds,
          `SELECT concat_ws('|', (SELECT max(created_at) FROM runs), (SELECT max(finished_at) FROM runs WHERE finished_at IS NOT NULL),
                  (SELECT max(updated_at) FROM runs WHERE status IN ('queued','running','waiting')),
                  (SELECT count(*) FROM runs WHERE status IN ('queued','running','waiting'))) AS mark`,
        );
    return rows[0]?.mark ?? '';
  }

  async list(q: { flowId?: string; status?: string; limit?: number; cursor?: string }): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.flowId) {
      params.push(q.flowId);
      where.push(`flow_id = $${params.length}`);
    }
    if (q.status) {
      const statuses = q.status.split(',');
      for (const s of statuses) if (!['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'].includes(s)) throw badRequest('invalid_status', `unknown run status ${s}`);
      // One status (what the console asks for) as an equality: Postgres then reads runs_status_created_idx
      // in order and stops after a page; with = ANY it reads every run of that status and sorts them.
      params.push(statuses.length === 1 ? statuses[0] : statuses);
      where.push(statuses.length === 1 ? `status = $${params.length}` : `status = ANY($${params.length}::text[])`);
    }
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|');
      if (!at || !id) throw badRequest('invalid_cursor', 'cursor is not one this API returned');
      params.push(at, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: any[] = await sql(this.ds,
      `SELECT id, flow_id, flow_version, status, trigger_node, trigger_kind, error, retries, created_at, started_at, finished_at, resume_at,
              created_at::text AS created_exact
       FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        flowId: r.flow_id,
        flowVersion: r.flow_version,
        status: r.status,
        trigger: { nodeId: r.trigger_node, kind: r.trigger_kind },
        error: r.error,
        retries: r.retries,
        createdAt: ISO(r.created_at)!,
        startedAt: ISO(r.started_at),
        finishedAt: ISO(r.finished_at),
        resumeAt: r.status === 'waiting' ? ISO(r.resume_at) : null,
      })),
      // The cursor keeps the timestamp's microseconds: runs stored in one batch share it to the microsecond.
      nextCursor: rows.length > limit && last ? Buffer.from(`${last.created_exact}|${last.id}`).toString('base64url') : null,
    };
  }

  /** A failed or cancelled run goes back to the queue under a new job id; finished steps are not repeated. */
  retry(id: string): Promise<{ runId: string; jobId: string }> {
    return this.transition(
      id,
      `UPDATE runs SET status = 'queued', retries = retries + 1, job_id = id::text || '-r' || (retries + 1),
              error = NULL, finished_at = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('failed', 'cancelled') RETURNING job_id`,
      () => conflict('run_not_retryable', `run ${id} is not failed or cancelled`),
    );
  }

  cancel(id: string): Promise<{ runId: string; jobId: string }> {
    return this.transition(
      id,
      `UPDATE runs SET status = 'cancelled', finished_at = now(), updated_at = now(),
              error = '{"code":"cancelled","message":"cancelled by an operator"}'
       WHERE id = $1 AND status IN ('queued', 'running', 'waiting') RETURNING job_id`,
      () => conflict('run_not_cancellable', `run ${id} has already finished`),
    );
  }

  /** An operator's status change: 404 for an unknown run, the given conflict when its status does not allow it. */
  private async transition(id: string, update: string, refused: () => Error): Promise<{ runId: string; jobId: string }> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('run', id);
    const rows: { job_id: string }[] = await sql(this.ds, update, [id]);
    if (rows[0]) return { runId: id, jobId: rows[0].job_id };
    const exists = await sql(this.ds, `SELECT 1 FROM runs WHERE id = $1`, [id]);
    throw exists.length ? refused() : notFound('run', id);
  }

  /** Of the given runs, those cancelled meanwhile (the worker aborts them). */
  async cancelledAmong(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await sql(this.ds, `SELECT id FROM runs WHERE id = ANY($1::uuid[]) AND status = 'cancelled'`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Unfinished runs not touched for a while: candidates for re-enqueueing after a crash or a queue outage. */
  async stale(olderThanMs: number, limit: number): Promise<{ id: string; jobId: string; status: RunStatus; resumeAt: Date | null }[]> {
    const rows: { id: string; job_id: string; status: RunStatus; resume_at: Date | null }[] = await sql(this.ds,
      `SELECT id, job_id, status, resume_at FROM runs WHERE status IN ('queued', 'running', 'waiting') AND updated_at < now() - ($1 || ' milliseconds')::interval
       ORDER BY updated_at LIMIT $2`,
      [String(olderThanMs), limit],
    );
    return rows.map((r) => ({ id: r.id, jobId: r.job_id, status: r.status, resumeAt: r.resume_at }));
  }

  /**
   * A run paused by a waiting step (core.delay): its checkpoints so far and the `waiting` status
   * with the resume time, in one statement. False when the run was cancelled meanwhile.
   */
  async wait(runId: string, resumeAt: string, steps: StepRecord[]): Promise<boolean> {
    const update = `UPDATE runs SET status = 'waiting', resume_at = $1, updated_at = now() WHERE id = $2 AND status = 'running' RETURNING id`;
    const rows: { id: string }[] = steps.length
      ? await sql(this.ds,
          `WITH steps AS (${STEP_UPSERT.replace(/\$(\d+)/g, (_m, n) => `$${Number(n) + 2}`)}), done AS (${update}) SELECT id FROM done`,
          [resumeAt, runId, ...stepColumns(steps.map((record) => stepRow(runId, record)))],
        )
      : await sql(this.ds, update, [resumeAt, runId]);
    return rows.length === 1;
  }

  async touch(ids: string[]): Promise<void> {
    if (ids.length) await sql(this.ds, `UPDATE runs SET updated_at = now() WHERE id = ANY($1::uuid[]) AND status IN ('queued','running','waiting')`, [ids]);
  }

  /** Drops run payloads (trigger items, step inputs and outputs) of runs finished before the cutoff. */
  async prunePayloads(olderThanDays: number, batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: { id: string }[] = await sql(this.ds,
        `WITH victims AS (
           SELECT id FROM runs WHERE pruned_at IS NULL AND finished_at IS NOT NULL
             AND finished_at < now() - ($1 || ' days')::interval ORDER BY finished_at LIMIT $2
         ), steps AS (
           UPDATE run_steps SET input = NULL, output = NULL WHERE run_id IN (SELECT id FROM victims)
         )
         UPDATE runs SET input = NULL, pruned_at = now() WHERE id IN (SELECT id FROM victims) RETURNING id`,
        [String(olderThanDays), batch],
      );
      total += rows.length;
      if (rows.length < batch) return total;
    }
  }

  /** Erasure: drops the payloads of the given runs (trigger items, step inputs, outputs and errors). */
  async erasePayloads(runIds: string[]): Promise<number> {
    const ids = runIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (ids.length === 0) return 0;
    await sql(this.ds, `UPDATE run_steps SET input = NULL, output = NULL, error = NULL WHERE run_id = ANY($1::uuid[])`, [ids]);
    const rows = await sql(this.ds, `UPDATE runs SET input = NULL, error = NULL, pruned_at = now() WHERE id = ANY($1::uuid[]) RETURNING id`, [ids]);
    return rows.length;
  }

  async counts(): Promise<Record<RunStatus, number>> {
    const rows: { status: RunStatus; n: string }[] = await sql(this.ds,
      `SELECT status, count(*)::bigint AS n FROM runs WHERE status IN ('queued','running','waiting') GROUP BY status`,
    );
    const out = { queued: 0, running: 0, waiting: 0, succeeded: 0, failed: 0, cancelled: 0 } as Record<RunStatus, number>;
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
