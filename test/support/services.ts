// Per-test-file isolation on the shared Postgres and Redis started by global-setup.js.
import { randomBytes } from 'node:crypto';
import { ensureDatabase } from '../../libs/dev-services/src/index.js';

export function testPgUrl(): string {
  const url = process.env.TEST_PG_URL;
  if (!url) throw new Error('TEST_PG_URL is not set: run tests through `npm test` (jest globalSetup starts Postgres)');
  return url;
}

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run tests through `npm test` (jest globalSetup starts Redis)');
  return url;
}

/** A fresh, empty database on the shared test Postgres; returns its URL. */
export async function createTestDatabase(label = 'test'): Promise<string> {
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  return ensureDatabase(testPgUrl(), name);
}

/** A unique queue prefix so test files never see each other's jobs. */
export function testQueuePrefix(label = 'test'): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${randomBytes(3).toString('hex')}`;
}
