import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, QueryRunner } from 'typeorm';
import { isRetryableStoreError } from '../customer-store.errors.js';

export interface RetryOptions {
  /** Attempts in all for serialization failures and deadlocks. */
  attempts: number;
  /** Told about each retry, for metrics. */
  onRetry?: (err: unknown, attempt: number) => void;
  /**
   * fn sends BEGIN itself, together with its first statement, to save a round trip;
   * this function still commits or rolls back.
   */
  fnBegins?: boolean;
}

/** Runs fn in a READ COMMITTED transaction, again from the start on 40001/40P01. */
export async function inTransaction<T>(dataSource: DataSource, fn: (q: QueryRunner) => Promise<T>, retry: RetryOptions = { attempts: 5 }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const q = dataSource.createQueryRunner();
    let broken: unknown;
    try {
      await q.connect();
      if (retry.fnBegins) {
        const result = await fn(q);
        await q.query('COMMIT');
        return result;
      }
      await q.startTransaction();
      const result = await fn(q);
      await q.commitTransaction();
      return result;
    } catch (err) {
      // A connection that cannot even roll back must not go back to the pool.
      if (retry.fnBegins) await q.query('ROLLBACK').catch((e: unknown) => (broken = e));
      else if (q.isTransactionActive) await q.rollbackTransaction().catch((e: unknown) => (broken = e));
      if (attempt >= retry.attempts || !isRetryableStoreError(err)) throw err;
      retry.onRetry?.(err, attempt);
    } finally {
      const pgRunner = q as QueryRunner & { releasePostgresConnection?: (err?: unknown) => Promise<void> };
      if (broken && pgRunner.releasePostgresConnection) await pgRunner.releasePostgresConnection(broken);
      else await q.release();
    }
    // Jittered backoff, connection released, so the transactions that collided do not collide again.
    await sleep(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random()));
  }
}

/** Rows touched by an UPDATE/DELETE/INSERT (TypeORM wraps UPDATE and DELETE results). */
export async function affected(q: QueryRunner, sql: string, params: unknown[]): Promise<number> {
  const result = await q.query(sql, params, true);
  return result.affected ?? 0;
}
