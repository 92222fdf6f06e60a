import type { Queue } from 'bullmq';
import type { Logger } from '@tributary/engine';
import { Batcher } from '../util/batcher.js';
import { RUNS_QUEUE, runJobOptions, type RunJobData } from './queue.config.js';

/**
 * Puts accepted runs on the queue, many per round trip. A failure here loses
 * nothing: the run is already committed in Postgres as `queued`, and the
 * recovery sweep enqueues it again once the queue is back.
 */
export class RunEnqueuer {
  private readonly batcher: Batcher<{ runId: string; jobId: string }, boolean>;

  constructor(private readonly queue: Queue, private readonly log: Logger) {
    this.batcher = new Batcher({
      maxSize: 500,
      maxWaitMs: 2,
      flush: async (jobs) => {
        try {
          await this.queue.addBulk(jobs.map((j) => ({ name: RUNS_QUEUE, data: { runId: j.runId } satisfies RunJobData, opts: runJobOptions(j.jobId) })));
          return jobs.map(() => true);
        } catch (err) {
          this.log.warn('enqueue failed; the recovery sweep will enqueue these runs later', { runs: jobs.length, error: String(err) });
          return jobs.map(() => false);
        }
      },
    });
  }

  /** Resolves true when the queue took the job, false when it will be retried by the sweep. Never throws. */
  enqueue(runId: string, jobId: string): Promise<boolean> {
    return this.batcher.submit({ runId, jobId });
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
