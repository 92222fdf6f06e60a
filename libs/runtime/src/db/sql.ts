import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

/**
 * Runs SQL and returns the result rows, whatever the statement. (TypeORM's
 * `query()` returns `[rows, count]` for UPDATE/DELETE, which silently breaks
 * `UPDATE … RETURNING`.) On a DataSource it goes straight to the pg pool: the
 * hot path skips TypeORM's per-query machinery.
 */
export async function sql<T = any>(db: Db, text: string, params: unknown[] = []): Promise<T[]> {
  if ('driver' in db && 'isInitialized' in db) {
    const pool = (db.driver as unknown as { master: { query(t: string, p: unknown[]): Promise<{ rows: T[] }> } }).master;
    return (await pool.query(text, params)).rows;
  }
  const runner = (db as EntityManager).queryRunner;
  if (!runner) throw new Error('sql(): an EntityManager outside a transaction has no query runner');
  const res = await runner.query(text, params, true);
  return res.records as T[];
}
