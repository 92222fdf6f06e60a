import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { PgSharedCache } from './pg-shared-cache.js';

describe('PgSharedCache (real Postgres)', () => {
  let ds: DataSource;
  let cache: PgSharedCache;
  beforeAll(async () => {
    ds = createDataSource({ url: await createTestDatabase('cache'), poolSize: 8 });
    await ds.initialize();
    await runMigrations(ds);
    cache = new PgSharedCache(ds);
  });
  afterAll(async () => {
    await ds.destroy();
  });
  const expire = (key: string) => sql(ds, `UPDATE shared_cache SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);

  it('stores, overwrites, expires and deletes values', async () => {
    await cache.set('a', '1', 60);
    await cache.set('a', '2', 60);
    expect(await cache.get('a')).toBe('2');
    await expire('a');
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('b', 'x', 60);
    await cache.delete('b');
    expect(await cache.get('b')).toBeUndefined();
  });

  it('gives a lock to exactly one of many concurrent callers, and again once it expired', async () => {
    const won = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.setIfAbsent('lock', String(i), 30)));
    expect(won.filter(Boolean)).toHaveLength(1);
    await expire('lock');
    expect(await cache.setIfAbsent('lock', 'late', 30)).toBe(true);
    expect(await cache.get('lock')).toBe('late');
  });

  it('counts concurrent increments exactly and restarts the window after expiry', async () => {
    const counts = await Promise.all(Array.from({ length: 50 }, () => cache.increment('win', 60)));
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await expire('win');
    expect(await cache.increment('win', 60)).toBe(1);
  });

  it('prunes expired entries', async () => {
    await cache.set('old', 'v', 60);
    await expire('old');
    expect(await cache.prune()).toBeGreaterThanOrEqual(1);
    expect(await sql(ds, `SELECT 1 FROM shared_cache WHERE key = 'old'`)).toEqual([]);
  });
});
