import { createPostgresBackend, setDefaultBackendFactory, type JobsOptions } from 'bullmq';
import type { RuntimeConfig } from '../config/config.js';

export const RUNS_QUEUE = 'runs';
export const TRIGGERS_QUEUE = 'triggers';

export interface RunJobData {
  runId: string;
}

export type TriggerJobData = { kind: 'schedule'; flowId: string; nodeId: string } | { kind: 'poll'; flowId: string; nodeId: string; backfillFrom?: string };

/**
 * Selects the queue's datastore for this process. Redis when REDIS_URL is set;
 * otherwise BullMQ 6's Postgres backend in its own schema of the same database.
 * Must run before any Queue or Worker is constructed.
 */
export function selectQueueBackend(config: RuntimeConfig): void {
  if (config.queueBackend === 'postgres') setDefaultBackendFactory(createPostgresBackend as never);
  else setDefaultBackendFactory();
}

/** The `connection` (and `prefix`) options for BullMQ classes under the selected backend. */
export function queueConnectionOptions(config: RuntimeConfig, role: 'producer' | 'worker' = 'worker'): { connection: any; prefix?: string } {
  if (config.queueBackend === 'postgres') {
    return {
      connection: { connectionString: config.databaseUrl, schema: `${config.queuePrefix}_queue`, migrate: true, max: 10 },
    };
  }
  const u = new URL(config.redisUrl!);
  return {
    connection: {
      host: u.hostname,
      port: Number(u.port || 6379),
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
      tls: u.protocol === 'rediss:' ? {} : undefined,
      // Producers fail fast when Redis is down (the durable inbox keeps the delivery and the
      // sweep enqueues it later); workers wait for Redis to come back.
      enableOfflineQueue: role === 'worker',
      maxRetriesPerRequest: role === 'worker' ? null : 1,
    },
    prefix: config.queuePrefix,
  };
}

/** Options of a run job: the job id is the run's, so enqueueing twice is a no-op. */
export function runJobOptions(jobId: string): JobsOptions {
  return {
    jobId,
    // Infrastructure failures (database down) are retried by the queue; step failures by the run's own policy.
    attempts: 25,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600, count: 5000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
