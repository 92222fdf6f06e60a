import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '@tributary/engine';
import type { RunStore } from './run.store.js';
import { RUNS_QUEUE, runJobOptions } from '../queue/queue.config.js';
import { sql } from '../db/sql.js';

const SWEEP_LOCK = 0x7377_6565; // "swee"

/**
 * Puts lost runs back on the queue. A run is committed before it is enqueued,
 * so a crash between the two, a queue outage, or a job that the queue gave up on
 * leaves a `queued`/`running` row without a live job: this finds those rows and
 * enqueues them again under the same job id. Only one process sweeps at a time.
 */
export class RecoverySweeper {
  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunStore,
    private readonly queue: Queue,
    private readonly log: Logger,
    private readonly opts: { staleMs: number; retentionDays: number; batch?: number },
  ) {}

  async sweepOnce(): Promise<{ requeued: number; pruned: number } | null> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [SWEEP_LOCK]);
      if (!locked) return null;
      try {
        const requeued = await this.requeueStale();
        const pruned = await this.runs.prunePayloads(this.opts.retentionDays);
        if (requeued || pruned) this.log.info('recovery sweep', { requeued, pruned });
        return { requeued, pruned };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async requeueStale(): Promise<number> {
    const stale = await this.runs.stale(this.opts.staleMs, this.opts.batch ?? 500);
    let requeued = 0;
    const alive: string[] = [];
    for (const run of stale) {
      const state = await this.queue.getJobState(run.jobId);
      if (state === 'waiting' || state === 'active' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') {
        alive.push(run.id);
        continue;
      }
      // Missing, or completed/failed in the queue while the run is unfinished: enqueue again.
      if (state === 'completed' || state === 'failed') {
        const job = await this.queue.getJob(run.jobId);
        await job?.remove().catch(() => undefined);
      }
      // A waiting run's job comes back delayed to its resume time (early delivery is harmless: it waits again).
      const delay = run.status === 'waiting' && run.resumeAt ? Math.max(0, run.resumeAt.getTime() - Date.now()) : 0;
      await this.queue.add(RUNS_QUEUE, { runId: run.id }, { ...runJobOptions(run.jobId), ...(delay ? { delay } : {}) });
      alive.push(run.id);
      requeued++;
    }
    await this.runs.touch(alive);
    return requeued;
  }
}
