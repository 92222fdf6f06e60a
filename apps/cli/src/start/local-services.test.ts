import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { findRedisServer } from '@tributary/dev-services';
import { createTestDatabase, testRedisUrl } from '../../../../test/support/services.js';
import { startLocalServices } from './local-services.js';
import { readOrCreateSecretFile } from './data-dir.util.js';

let root: string;
let noRedisPath: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tributary-start-'));
  chmodSync(root, 0o755); // as root, the postgres OS user must reach .data/pg
  noRedisPath = join(root, 'empty-bin');
  mkdirSync(noRedisPath);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startLocalServices', () => {
  it('starts embedded Postgres and redis-server with their data kept across restarts', async () => {
    const bin = findRedisServer();
    if (!bin) throw new Error('redis-server is needed for this test (.ci/run installs it)');
    const dataDir = join(root, 'persist', '.data');
    const logs: string[] = [];
    const first = await startLocalServices({ env: {}, dataDir, log: (l) => logs.push(l), path: dirname(bin) });
    let firstDbUrl: string;
    try {
      expect(first.started).toEqual({ postgres: true, redis: true });
      expect(first.queue).toBe('redis');
      firstDbUrl = first.env.DATABASE_URL!;
      expect(new URL(firstDbUrl).pathname).toBe('/tributary');
      expect(first.env.REDIS_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(first.env.TRIBUTARY_QUEUE).toBe('redis');
      expect(first.env.TRIBUTARY_DATA_DIR).toBe(dataDir);
      // The log names the database without its password.
      expect(logs.find((l) => l.startsWith('Postgres (embedded) at postgres://postgres@127.0.0.1:'))).toBeDefined();
      expect(logs.join('\n')).not.toMatch(/postgres:postgres@/);

      expect(mode(dataDir)).toBe(0o755);
      expect(mode(join(dataDir, 'admin-token'))).toBe(0o600);
      expect(mode(join(dataDir, 'secret-key'))).toBe(0o600);
      expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(first.adminToken);
      expect(first.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
      expect(first.env.TRIBUTARY_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);

      await query(firstDbUrl, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'still here\')');
      const redis = new Redis(first.env.REDIS_URL!);
      await redis.set('kept', 'also here');
      await redis.quit();
    } finally {
      await first.stop();
    }
    await expect(query(firstDbUrl, 'SELECT 1')).rejects.toThrow();
    expect(existsSync(join(dataDir, 'redis', 'redis-server.pid'))).toBe(false);

    const second = await startLocalServices({ env: {}, dataDir, log: () => undefined, path: dirname(bin) });
    try {
      expect(second.adminToken).toBe(first.adminToken);
      expect(second.env.TRIBUTARY_SECRET_KEY).toBe(first.env.TRIBUTARY_SECRET_KEY);
      expect(await query(second.env.DATABASE_URL!, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
      const redis = new Redis(second.env.REDIS_URL!);
      expect(await redis.get('kept')).toBe('also here'); // from the append-only file
      await redis.quit();
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('falls back to the Postgres queue, in one log line, when no redis-server is on PATH', async () => {
    const dataDir = join(root, 'no-redis');
    const logs: string[] = [];
    const databaseUrl = await createTestDatabase('launcher');
    const s = await startLocalServices({
      env: { DATABASE_URL: databaseUrl, TRIBUTARY_ADMIN_TOKEN: 'token-from-env', PATH: noRedisPath },
      dataDir,
      log: (l) => logs.push(l),
    });
    await s.stop();
    expect(s.queue).toBe('postgres');
    expect(s.started).toEqual({ postgres: false, redis: false });
    expect(s.env.TRIBUTARY_QUEUE).toBe('postgres');
    expect(s.env.REDIS_URL).toBeUndefined();
    expect(s.env.DATABASE_URL).toBe(databaseUrl);
    expect(s.adminToken).toBe('token-from-env');
    expect(existsSync(join(dataDir, 'admin-token'))).toBe(false);
    expect(existsSync(join(dataDir, 'secret-key'))).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^redis-server not found on PATH: the queue runs on BullMQ's Postgres backend \(.*install Redis/);
  });

  it('uses REDIS_URL and TRIBUTARY_SECRET_KEY as given and starts nothing', async () => {
    const dataDir = join(root, 'given');
    const logs: string[] = [];
    const key = 'ab'.repeat(32);
    const s = await startLocalServices({
      env: { DATABASE_URL: await createTestDatabase('launcher'), REDIS_URL: testRedisUrl(), TRIBUTARY_SECRET_KEY: key },
      dataDir,
      log: (l) => logs.push(l),
      path: noRedisPath,
    });
    await s.stop();
    expect(s.started).toEqual({ postgres: false, redis: false });
    expect(s.env).toMatchObject({ REDIS_URL: testRedisUrl(), TRIBUTARY_QUEUE: 'redis', TRIBUTARY_SECRET_KEY: key });
    expect(existsSync(join(dataDir, 'secret-key'))).toBe(false);
    expect(logs).toEqual([]);
  });

  it('stops a Postgres and a Redis orphaned by a launcher that was killed, then starts its own', async () => {
    const bin = findRedisServer()!;
    const dataDir = join(root, 'orphans', '.data');
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dirname(dataDir), 0o755);
    chmodSync(dataDir, 0o755);
    // A launcher stand-in that starts both detached, then dies without stopping them.
    const devServices = new URL('../../../../libs/dev-services/dist/index.js', import.meta.url).href;
    const script = `
      import * as d from ${JSON.stringify(devServices)};
      await d.startEmbeddedPostgres({ dir: ${JSON.stringify(join(dataDir, 'pg'))}, port: await d.freePort(), persistent: true, detached: true });
      await d.startRedisServer({ bin: ${JSON.stringify(bin)}, dir: ${JSON.stringify(join(dataDir, 'redis'))}, port: await d.freePort(), persistent: true, detached: true });
      console.log('up');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('up') && resolve());
      child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const logs: string[] = [];
    const s = await startLocalServices({ env: {}, dataDir, log: (l) => logs.push(l), path: dirname(bin) });
    await s.stop();
    expect(s.started).toEqual({ postgres: true, redis: true });
    expect(logs.filter((l) => l.includes('left running by an earlier start'))).toEqual([
      expect.stringMatching(/^stopping postgres \(pid \d+\)/),
      expect.stringMatching(/^stopping redis-server \(pid \d+\)/),
    ]);
    const ps = execFileSync('ps', ['-eo', 'command'], { encoding: 'utf8' });
    expect(ps).not.toContain(join(dataDir, 'pg'));
    expect(ps).not.toContain(join(dataDir, 'redis'));
  }, 60_000);
});

describe('readOrCreateSecretFile', () => {
  it('creates once, then reads; tightens loose permissions; replaces an empty file', () => {
    const file = join(root, 'secret-file');
    let n = 0;
    const gen = () => `value-${++n}`;
    expect(readOrCreateSecretFile(file, gen)).toEqual({ value: 'value-1', created: true });
    expect(readOrCreateSecretFile(file, gen)).toEqual({ value: 'value-1', created: false });
    chmodSync(file, 0o644);
    readOrCreateSecretFile(file, gen);
    expect(mode(file)).toBe(0o600);
    writeFileSync(file, '');
    expect(readOrCreateSecretFile(file, gen)).toEqual({ value: 'value-2', created: true });
  });
});
