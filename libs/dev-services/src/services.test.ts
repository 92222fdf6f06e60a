import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createTestDatabase, testRedisUrl } from '../../../test/support/services.js';

describe('test services', () => {
  it('gives each test file a fresh real Postgres database', async () => {
    const url = await createTestDatabase('smoke');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const res = await client.query('select current_database() as db, version() as v');
    await client.end();
    expect(res.rows[0].db).toMatch(/^smoke_/);
    expect(res.rows[0].v).toMatch(/PostgreSQL 15/);
  });

  it('reaches the real Redis', async () => {
    const redis = new Redis(testRedisUrl());
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });
});
