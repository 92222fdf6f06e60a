import { join } from 'node:path';
import {
  ensureDatabase,
  findRedisServer,
  freePort,
  startEmbeddedPostgres,
  startRedisServer,
  type EmbeddedPostgresHandle,
  type RedisServerHandle,
} from '@tributary/dev-services';
import {
  adminTokenFile,
  ensureDataDir,
  generateAdminToken,
  generateSecretKey,
  readOrCreateSecretFile,
  secretKeyFile,
} from './data-dir.util.js';

export const DATABASE_NAME = 'tributary';

export interface LocalServicesOptions {
  /** The launcher's environment; DATABASE_URL, REDIS_URL, TRIBUTARY_QUEUE, the token and key are honoured. */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** One line per event worth telling the user. */
  log: (line: string) => void;
  /** Where redis-server is looked for (default env.PATH). */
  path?: string;
  /** Raw output of Postgres and Redis (default: dropped; their logs are in the data dir). */
  serviceOutput?: (service: 'postgres' | 'redis', text: string) => void;
}

export interface LocalServices {
  /** The environment for api and worker. */
  env: Record<string, string>;
  adminToken: string;
  databaseUrl: string;
  queue: 'redis' | 'postgres';
  redisUrl?: string;
  /** What this launcher started (and so must stop). */
  started: { postgres: boolean; redis: boolean };
  /** Stops Redis, then Postgres. */
  stop(): Promise<void>;
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db`, for logs. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Everything `npm start` needs before the api and worker can boot: the data directory,
 * the admin token and secret key, Postgres (embedded unless DATABASE_URL is set) and the
 * queue (Redis when set or found on PATH, otherwise BullMQ's Postgres backend).
 */
export async function startLocalServices(opts: LocalServicesOptions): Promise<LocalServices> {
  const { env, log } = opts;
  const dataDir = ensureDataDir(opts.dataDir);
  const out = (service: 'postgres' | 'redis') => (text: string) => opts.serviceOutput?.(service, text);

  const adminToken = env.TRIBUTARY_ADMIN_TOKEN || readOrCreateSecretFile(adminTokenFile(dataDir), generateAdminToken).value;
  const secretKey = env.TRIBUTARY_SECRET_KEY || readOrCreateSecretFile(secretKeyFile(dataDir), generateSecretKey).value;

  let pg: EmbeddedPostgresHandle | undefined;
  let redis: RedisServerHandle | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const errors: unknown[] = [];
    // Redis first: it holds queued jobs, and its AOF is flushed on a clean shutdown.
    await redis?.stop().catch((e: unknown) => errors.push(e));
    await pg?.stop().catch((e: unknown) => errors.push(e));
    for (const e of errors) log(`error while stopping services: ${e instanceof Error ? e.message : String(e)}`);
  };

  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      pg = await startEmbeddedPostgres({ dir: join(dataDir, 'pg'), port: await freePort(), persistent: true, detached: true, log: out('postgres'), notice: log });
      databaseUrl = await ensureDatabase(pg.url, DATABASE_NAME);
      log(`Postgres (embedded) at ${withoutPassword(databaseUrl)}, data in ${join(dataDir, 'pg')}`);
    }

    let redisUrl = env.REDIS_URL || undefined;
    let queue: 'redis' | 'postgres' = env.TRIBUTARY_QUEUE === 'postgres' ? 'postgres' : 'redis';
    if (!redisUrl && queue === 'redis') {
      const bin = findRedisServer(opts.path ?? env.PATH);
      if (!bin) {
        queue = 'postgres';
        log('redis-server not found on PATH: the queue runs on BullMQ\'s Postgres backend (for more throughput install Redis, e.g. `apt-get install redis-server` or `brew install redis`, or set REDIS_URL)');
      } else {
        try {
          redis = await startRedis(bin, join(dataDir, 'redis'), await freePort(), out('redis'), log, () => stopping);
          redisUrl = redis.url;
          log(`Redis (${bin}) at ${redis.url}, data in ${join(dataDir, 'redis')}`);
        } catch (err) {
          queue = 'postgres';
          log(`redis-server failed to start (${firstLine(err)}): the queue runs on BullMQ's Postgres backend instead`);
        }
      }
    } else if (queue === 'postgres') {
      log('queue: BullMQ Postgres backend (TRIBUTARY_QUEUE=postgres)');
    }

    const childEnv: Record<string, string> = {
      ...stringEnv(env),
      DATABASE_URL: databaseUrl,
      TRIBUTARY_ADMIN_TOKEN: adminToken,
      TRIBUTARY_SECRET_KEY: secretKey,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_QUEUE: queue,
    };
    if (queue === 'redis' && redisUrl) childEnv.REDIS_URL = redisUrl;
    else delete childEnv.REDIS_URL;

    return {
      env: childEnv,
      adminToken,
      databaseUrl,
      queue,
      redisUrl: queue === 'redis' ? redisUrl : undefined,
      started: { postgres: pg !== undefined, redis: redis !== undefined },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/**
 * Starts redis-server and keeps it up: if it dies while the system runs, it is started
 * again on the same port, so api and worker simply reconnect.
 */
async function startRedis(
  bin: string,
  dir: string,
  port: number,
  output: (text: string) => void,
  log: (line: string) => void,
  stopping: () => boolean,
): Promise<RedisServerHandle> {
  const start = () => startRedisServer({ bin, port, dir, persistent: true, detached: true, log: output, notice: log });
  let current = await start();
  let delayMs = 1000;
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping()) return;
    log(`redis-server exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delayMs / 1000} s`);
    timer = setTimeout(() => {
      restarting = start().then(
        (next) => {
          current = next;
          delayMs = 1000;
          log(`redis-server restarted at ${next.url}`);
          next.process.once('exit', onExit);
        },
        (err: unknown) => {
          delayMs = Math.min(delayMs * 2, 30_000);
          log(`redis-server did not restart: ${firstLine(err)}`);
          onExit(null, null);
        },
      );
    }, delayMs);
  };
  current.process.once('exit', onExit);
  return {
    url: current.url,
    port,
    get process() {
      return current.process;
    },
    stop: async () => {
      clearTimeout(timer);
      await restarting;
      clearTimeout(timer);
      await current.stop();
    },
  };
}
