import type { WorkerOptions } from 'bullmq';

/**
 * Read at import time because @Processor takes its options in a decorator.
 * The lock is what recovers runs of a worker that died: once it expires
 * unrenewed, another worker takes the job and resumes from the checkpoints.
 */
export function runWorkerOptions(env: NodeJS.ProcessEnv = process.env): Partial<WorkerOptions> {
  const lockMs = Number(env.TRIBUTARY_JOB_LOCK_MS || 30_000);
  return {
    concurrency: Number(env.WORKER_CONCURRENCY || 32),
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    // A job may stall several times (several workers dying); checkpoints make each recovery cheap.
    maxStalledCount: 10,
  };
}
