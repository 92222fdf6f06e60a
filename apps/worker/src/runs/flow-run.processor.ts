import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { RUNS_QUEUE, type RunExecutor, type RunJobData, type RunOutcome } from '@tributary/runtime';
import { EXECUTOR, METRICS } from '../tokens.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { runWorkerOptions } from '../worker-options.js';

/** One job per run; the job carries only the run id, Postgres holds the rest. */
@Processor(RUNS_QUEUE, runWorkerOptions())
export class FlowRunProcessor extends WorkerHost {
  constructor(
    @Inject(EXECUTOR) private readonly executor: RunExecutor,
    @Inject(METRICS) private readonly metrics: WorkerMetrics,
  ) {
    super();
  }

  async process(job: Job<RunJobData>, token?: string): Promise<RunOutcome> {
    const outcome = await this.executor.execute(job.data.runId);
    this.metrics.runExecuted(outcome);
    if (outcome.kind === 'retry-later' || outcome.kind === 'throttled' || outcome.kind === 'waiting') {
      // Back to the queue without spending one of the job's infrastructure attempts.
      await job.moveToDelayed(Date.now() + outcome.delayMs, token);
      throw new DelayedError();
    }
    return outcome;
  }
}
