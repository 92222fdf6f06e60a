import type { Logger } from '@tributary/engine';
import type { DataSource, QueryRunner } from 'typeorm';
import { CustomerStoreError } from '../customer-store.errors.js';
import { NIL_UUID, usTimestamp } from '../util/keyset.util.js';
import { lockKey } from '../util/lock-key.util.js';
import { inTransaction } from '../util/transaction.util.js';
import { compileSegmentDefinition, SqlParams, type CompiledSegment } from './segment-definition.compiler.js';
import type { IncrementalEvaluationResult, SegmentEvaluationResult, SegmentNode } from './segment.types.js';

/**
 * Every write to segment_members and segment_changes happens under this one transaction-scoped
 * lock. One evaluator at a time means change ids commit in id order, so a reader that keeps
 * "the last change id I handled" never skips a change that commits late.
 */
export const SEGMENT_LOCK = lockKey('tributary:segments').toString();

export interface SegmentEvaluatorOptions {
  /** The clock relative conditions count from; tests pin it. */
  now?: () => Date;
  /** Changed customers per transaction (default 5000). */
  batchSize?: number;
  /** Batches one evaluateChanges call runs at most (default 20); the rest waits for the next call. */
  maxBatches?: number;
  /**
   * How long after a change it is evaluated a second time (default 120 s). A transaction that
   * commits after the watermark moved past its updated_at is caught by this second look.
   */
  settleMs?: number;
  /** Full re-evaluation of segments with conditions relative to now: dormancy, "within N days" (default 10 min). */
  fullIntervalMs?: number;
  /** Full re-evaluation of the other segments, a repair pass (default 6 h). */
  repairIntervalMs?: number;
  /** Full passes one evaluateDue call runs at most (default 5). */
  maxFullPasses?: number;
  log?: Logger;
}

interface SegmentRow {
  id: string;
  definition: SegmentNode;
  evaluated_at: Date | null;
}

interface Keyset {
  /** updated_at in microseconds since the epoch, as text: a JS Date would drop the microseconds. */
  us: string;
  id: string;
}

interface StateRow {
  fast_us: string | null;
  fast_id: string | null;
  settled_us: string | null;
  settled_id: string | null;
}


/**
 * Keeps segment_members equal to "live customers matching the definition", set-based:
 * - evaluateChanges: the customers whose updated_at moved past a watermark kept in
 *   segment_evaluation_state, in keyset batches on (updated_at, id), each batch one transaction
 *   and one statement per segment (insert who entered, delete who left, record both in
 *   segment_changes, adjust member_count). Customers merged away or erased leave. Each change is
 *   looked at again settleMs later, which catches rows a slow transaction committed behind the
 *   watermark.
 * - evaluateDue: a full pass over all customers for segments whose conditions are relative to
 *   now (they change without the customer changing), every fullIntervalMs, and for the others
 *   every repairIntervalMs.
 * - evaluateSegment: a full pass now (a segment created or changed).
 * Several workers may call these at once: one holds SEGMENT_LOCK, the others skip (or wait, for
 * evaluateSegment), and the watermark is read and moved under the lock.
 */
export class SegmentEvaluator {
  private readonly now: () => Date;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly settleMs: number;
  private readonly fullIntervalMs: number;
  private readonly repairIntervalMs: number;
  private readonly maxFullPasses: number;
  private readonly log?: Logger;

  constructor(
    private readonly ds: DataSource,
    options: SegmentEvaluatorOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 5000;
    this.maxBatches = options.maxBatches ?? 20;
    this.settleMs = options.settleMs ?? 120_000;
    this.fullIntervalMs = options.fullIntervalMs ?? 600_000;
    this.repairIntervalMs = options.repairIntervalMs ?? 6 * 3600_000;
    this.maxFullPasses = options.maxFullPasses ?? 5;
    this.log = options.log;
  }

  /** Evaluates the customers changed since the watermark. `ran` is false when another evaluator held the lock. */
  async evaluateChanges(): Promise<IncrementalEvaluationResult> {
    const total: IncrementalEvaluationResult = { ran: false, customers: 0, entered: 0, left: 0, more: false };
    for (let i = 0; i < this.maxBatches; i++) {
      const r = await inTransaction(this.ds, (q) => this.changesBatch(q), { attempts: 3 });
      if (!r.ran) return total;
      total.ran = true;
      total.customers += r.customers;
      total.entered += r.entered;
      total.left += r.left;
      total.more = r.more;
      if (!r.more) break;
    }
    return total;
  }

  /** Full passes for the segments that are due; returns what each did. Skips when another evaluator holds the lock. */
  async evaluateDue(): Promise<SegmentEvaluationResult[]> {
    const now = this.now();
    const rows: SegmentRow[] = await this.ds.query(`SELECT id, definition, evaluated_at FROM segments WHERE enabled ORDER BY evaluated_at NULLS FIRST, id`);
    const due = rows.filter((r) => this.isDue(r, now)).slice(0, this.maxFullPasses);
    const results: SegmentEvaluationResult[] = [];
    for (const seg of due) {
      const r = await inTransaction(
        this.ds,
        async (q) => {
          const [{ locked }] = await q.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [SEGMENT_LOCK]);
          if (!locked) return null;
          // Another worker may have done it since the list was read.
          const [row]: SegmentRow[] = await q.query(`SELECT id, definition, evaluated_at FROM segments WHERE id = $1 AND enabled FOR UPDATE`, [seg.id]);
          if (!row || !this.isDue(row, this.now())) return undefined;
          return this.fullPass(q, row.id, row.definition);
        },
        { attempts: 3 },
      );
      if (r === null) break;
      if (r) results.push(r);
    }
    return results;
  }

  /**
   * A full pass over all customers for one segment, now, waiting for the lock. With `q`, it runs
   * in the caller's transaction (a segment created or changed commits with its members).
   */
  async evaluateSegment(segmentId: string, q?: QueryRunner): Promise<SegmentEvaluationResult> {
    const run = async (tx: QueryRunner) => {
      await this.lockAndInit(tx);
      const [row]: SegmentRow[] = await tx.query(`SELECT id, definition, evaluated_at FROM segments WHERE id = $1 FOR UPDATE`, [segmentId]);
      if (!row) throw new CustomerStoreError('not_found', `segment ${segmentId} not found`, { segment: segmentId });
      return this.fullPass(tx, row.id, row.definition);
    };
    return q ? run(q) : inTransaction(this.ds, run, { attempts: 3 });
  }

  /**
   * Takes SEGMENT_LOCK (waiting) and, on the very first evaluation, starts the watermark at the
   * newest customer: a full pass follows, so the changes before it need no second look.
   */
  async lockAndInit(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [SEGMENT_LOCK]);
    await this.initWatermark(q);
  }

  /** Whether a segment's definition has conditions relative to now. */
  isTimeRelative(definition: SegmentNode): boolean {
    return compileSegmentDefinition(definition, new SqlParams(), this.now()).timeRelative;
  }

  // --- incremental ------------------------------------------------------------------------

  private async changesBatch(q: QueryRunner): Promise<IncrementalEvaluationResult & { ran: boolean }> {
    const none = { ran: false, customers: 0, entered: 0, left: 0, more: false };
    const [{ locked }] = await q.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [SEGMENT_LOCK]);
    if (!locked) return none;
    const state = await this.initWatermark(q);
    const now = this.now();
    const fast = await this.changedSince(q, { us: state.fast_us!, id: state.fast_id! }, null);
    const settleBound = String((now.getTime() - this.settleMs) * 1000);
    const settled = await this.changedSince(q, { us: state.settled_us!, id: state.settled_id! }, settleBound);
    const ids = [...new Set([...fast.ids, ...settled.ids])];
    let entered = 0;
    let left = 0;
    if (ids.length) {
      for (const seg of await this.enabledSegments(q)) {
        const compiled = this.compile(seg, now);
        if (!compiled) continue;
        const params = new SqlParams([seg.id, ids]);
        const predicate = compileSegmentDefinition(seg.definition, params, now).sql;
        const [r]: { entered: number; left: number }[] = await q.query(
          membershipSql({
            // Only the changed customers: who of them the definition holds now, and who left.
            target: `c.id = ANY($2::uuid[]) AND ${predicate}`,
            leaving: `m.customer_id = ANY($2::uuid[])`,
            update: `UPDATE segments SET member_count = member_count + (SELECT count(*) FROM ins) - (SELECT count(*) FROM del)
                      WHERE id = $1 AND EXISTS (SELECT 1 FROM chg)
                     RETURNING id`,
            select: `(SELECT count(*) FROM ins)::int AS entered, (SELECT count(*) FROM del)::int AS left, (SELECT count(*) FROM upd)::int AS updated`,
          }),
          params.values,
        );
        entered += r?.entered ?? 0;
        left += r?.left ?? 0;
      }
    }
    const nextFast = fast.last ?? { us: state.fast_us!, id: state.fast_id! };
    const nextSettled = settled.last ?? { us: state.settled_us!, id: state.settled_id! };
    if (fast.last || settled.last) {
      await q.query(
        `UPDATE segment_evaluation_state SET fast_at = ${usTimestamp('$1')}, fast_id = $2::uuid, settled_at = ${usTimestamp('$3')}, settled_id = $4::uuid, updated_at = now()
          WHERE id = 'customers'`,
        [nextFast.us, nextFast.id, nextSettled.us, nextSettled.id],
      );
    }
    if (entered || left) this.log?.debug('segments evaluated', { customers: ids.length, entered, left });
    return { ran: true, customers: ids.length, entered, left, more: fast.full || settled.full };
  }

  /**
   * The next customers after `from` in (updated_at, id) order, live or not (a customer merged
   * away or erased has to leave), up to `upTo` µs when given. Two index scans: live customers
   * through ix_customers_updated, the others through ix_customers_updated_gone.
   */
  private async changedSince(q: QueryRunner, from: Keyset, upTo: string | null): Promise<{ ids: string[]; last?: Keyset; full: boolean }> {
    const bound = upTo ? `AND updated_at <= ${usTimestamp('$4')}` : '';
    const after = `(updated_at, id) > (${usTimestamp('$1')}, $2::uuid) ${bound}`;
    const rows: { id: string; us: string }[] = await q.query(
      `SELECT id, (extract(epoch FROM updated_at) * 1000000)::bigint::text AS us FROM (
         (SELECT id, updated_at FROM customers WHERE merged_into IS NULL AND erased_at IS NULL AND ${after} ORDER BY updated_at, id LIMIT $3)
         UNION ALL
         (SELECT id, updated_at FROM customers WHERE (merged_into IS NOT NULL OR erased_at IS NOT NULL) AND ${after} ORDER BY updated_at, id LIMIT $3)
       ) x ORDER BY updated_at, id LIMIT $3`,
      upTo ? [from.us, from.id, this.batchSize, upTo] : [from.us, from.id, this.batchSize],
    );
    const last = rows[rows.length - 1];
    return { ids: rows.map((r) => r.id), last: last ? { us: last.us, id: last.id } : undefined, full: rows.length >= this.batchSize };
  }

  /** The watermark row, started at the newest customer the first time. */
  private async initWatermark(q: QueryRunner): Promise<StateRow> {
    const read = async (): Promise<StateRow | undefined> =>
      (
        await q.query(
          `SELECT (extract(epoch FROM fast_at) * 1000000)::bigint::text AS fast_us, fast_id,
                  (extract(epoch FROM settled_at) * 1000000)::bigint::text AS settled_us, settled_id
             FROM segment_evaluation_state WHERE id = 'customers'`,
        )
      )[0];
    const state = await read();
    if (state?.fast_us && state.settled_us) return state;
    await q.query(
      `INSERT INTO segment_evaluation_state (id, fast_at, fast_id, settled_at, settled_id)
       SELECT 'customers', n.updated_at, n.id, n.updated_at, n.id
         FROM (SELECT COALESCE(max(updated_at), 'epoch'::timestamptz) AS updated_at FROM customers) m
         CROSS JOIN LATERAL (
           SELECT m.updated_at, COALESCE((SELECT max(id::text)::uuid FROM customers WHERE updated_at = m.updated_at), $1::uuid) AS id
         ) n
       ON CONFLICT (id) DO UPDATE SET fast_at = excluded.fast_at, fast_id = excluded.fast_id, settled_at = excluded.settled_at,
         settled_id = excluded.settled_id, updated_at = now()`,
      [NIL_UUID],
    );
    return (await read())!;
  }

  // --- full passes ------------------------------------------------------------------------

  private async fullPass(q: QueryRunner, segmentId: string, definition: SegmentNode): Promise<SegmentEvaluationResult> {
    const started = Date.now();
    const now = this.now();
    const params = new SqlParams([segmentId, now.toISOString()]);
    const predicate = compileSegmentDefinition(definition, params, now).sql;
    const [r]: { entered: number; left: number; member_count: number }[] = await q.query(
      membershipSql({
        target: predicate,
        leaving: 'true',
        update: `UPDATE segments SET member_count = (SELECT count(*) FROM target), evaluated_at = $2::timestamptz
                  WHERE id = $1
                 RETURNING member_count`,
        select: `(SELECT count(*) FROM ins)::int AS entered, (SELECT count(*) FROM del)::int AS left,
                 (SELECT member_count FROM upd) AS member_count, (SELECT count(*) FROM chg)::int AS changes`,
      }),
      params.values,
    );
    const result = { segmentId, memberCount: r?.member_count ?? 0, entered: r?.entered ?? 0, left: r?.left ?? 0, ms: Date.now() - started };
    this.log?.info('segment evaluated', { ...result });
    return result;
  }

  private isDue(row: SegmentRow, now: Date): boolean {
    if (!row.evaluated_at) return true;
    const compiled = this.compile(row, now);
    if (!compiled) return false;
    const every = compiled.timeRelative ? this.fullIntervalMs : this.repairIntervalMs;
    return now.getTime() - new Date(row.evaluated_at).getTime() >= every;
  }

  private async enabledSegments(q: QueryRunner): Promise<SegmentRow[]> {
    return q.query(`SELECT id, definition, evaluated_at FROM segments WHERE enabled ORDER BY id`);
  }

  /** A stored definition that no longer compiles is skipped (and said so), not allowed to stop the others. */
  private compile(row: SegmentRow, now: Date): CompiledSegment | undefined {
    try {
      return compileSegmentDefinition(row.definition, new SqlParams(), now);
    } catch (err) {
      this.log?.warn('segment definition does not compile; skipped', { segmentId: row.id, error: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }
}

/**
 * One statement that brings segment $1's members in line with its definition: `target` are the
 * live customers it holds (a condition on customers c), `leaving` the members that may leave (a
 * condition on segment_members m: those not in target go). Who entered and who left is logged in
 * segment_changes in a fixed order; `update` (CTE `upd`, reading ins, del, chg and target) then
 * updates the segment, and `select` is what the statement returns.
 */
function membershipSql(p: { target: string; leaving: string; update: string; select: string }): string {
  return `WITH target AS MATERIALIZED (
       SELECT c.id FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND ${p.target}
     ),
     ins AS (
       INSERT INTO segment_members (segment_id, customer_id)
       SELECT $1, t.id FROM target t
        WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = $1 AND m.customer_id = t.id)
        ORDER BY t.id
       ON CONFLICT DO NOTHING RETURNING customer_id
     ),
     del AS (
       DELETE FROM segment_members m
        WHERE m.segment_id = $1 AND ${p.leaving} AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.customer_id)
       RETURNING m.customer_id
     ),
     chg AS (
       INSERT INTO segment_changes (segment_id, customer_id, change)
       SELECT $1, customer_id, change FROM (
         SELECT customer_id, 'entered' AS change FROM ins UNION ALL SELECT customer_id, 'left' FROM del
       ) x ORDER BY change, customer_id
       RETURNING change
     ),
     upd AS (
       ${p.update}
     )
     SELECT ${p.select}`;
}
