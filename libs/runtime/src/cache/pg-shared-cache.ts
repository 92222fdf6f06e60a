import type { DataSource } from 'typeorm';
import type { SharedCache } from '@tributary/engine';
import { sql } from '../db/sql.js';

/**
 * ctx.cache for every process, in one Postgres table: it works with either queue backend, and
 * what it holds (access tokens, rate-limit counters, short locks) is written rarely enough.
 * Expired rows are ignored on read and removed by prune().
 */
export class PgSharedCache implements SharedCache {
  constructor(
    private readonly ds: DataSource,
    private readonly namespace = '',
  ) {}

  private k(key: string): string {
    return this.namespace + key;
  }

  async get(key: string): Promise<string | undefined> {
    const rows: { value: string }[] = await sql(this.ds, `SELECT value FROM shared_cache WHERE key = $1 AND expires_at > now()`, [this.k(key)]);
    return rows[0]?.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await sql(this.ds,
      `INSERT INTO shared_cache (key, value, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [this.k(key), value, ttlSeconds],
    );
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const rows: unknown[] = await sql(this.ds,
      `INSERT INTO shared_cache (key, value, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE shared_cache.expires_at <= now()
       RETURNING 1`,
      [this.k(key), value, ttlSeconds],
    );
    return rows.length === 1;
  }

  async delete(key: string): Promise<void> {
    await sql(this.ds, `DELETE FROM shared_cache WHERE key = $1`, [this.k(key)]);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const rows: { value: string }[] = await sql(this.ds,
      `INSERT INTO shared_cache (key, value, expires_at) VALUES ($1, '1', now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         value = CASE WHEN shared_cache.expires_at <= now() THEN '1' ELSE (shared_cache.value::bigint + 1)::text END,
         expires_at = CASE WHEN shared_cache.expires_at <= now() THEN excluded.expires_at ELSE shared_cache.expires_at END
       RETURNING value`,
      [this.k(key), ttlSeconds],
    );
    return Number(rows[0]!.value);
  }

  /** Removes expired entries; returns how many. */
  async prune(): Promise<number> {
    const rows: unknown[] = await sql(this.ds, `DELETE FROM shared_cache WHERE expires_at <= now() RETURNING 1`);
    return rows.length;
  }
}
