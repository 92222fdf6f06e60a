import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stopStaleProcess } from './stale-process.js';

export interface RedisServerHandle {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The `redis-server` executable on `path` (default: this process's PATH), or undefined. */
export function findRedisServer(path: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RedisServerOptions {
  bin: string;
  port: number;
  dir: string;
  persistent: boolean;
  log?: (l: string) => void;
  /**
   * Own process group: a Ctrl-C in the terminal then reaches only the launcher, which
   * stops Redis after the workers are done with it. A pid file lets the next start stop
   * a server orphaned by a killed launcher.
   */
  detached?: boolean;
  /** Messages for the user, e.g. that an orphaned server was stopped (default: `log`). */
  notice?: (line: string) => void;
}

/** Starts redis-server on loopback; `dir` holds its append-only file when `persistent`. */
export async function startRedisServer(opts: RedisServerOptions): Promise<RedisServerHandle> {
  mkdirSync(opts.dir, { recursive: true });
  const pidFile = join(opts.dir, 'redis-server.pid');
  if (opts.detached) await stopStaleProcess(pidFile, 'redis-server', 'SIGTERM', opts.notice ?? opts.log);
  const args = [
    '--port', String(opts.port),
    '--bind', '127.0.0.1',
    '--dir', opts.dir,
    '--daemonize', 'no',
    '--loglevel', 'notice',
    '--save', '',
    // BullMQ requires noeviction: evicting queue keys would lose jobs.
    '--maxmemory-policy', 'noeviction',
    ...(opts.persistent ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
    ...(opts.detached ? ['--pidfile', pidFile] : []),
  ];
  const child = spawn(opts.bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached === true });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 10 s:\n${out}`));
    }, 10_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      opts.log?.(b.toString());
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          url: `redis://127.0.0.1:${opts.port}`,
          port: opts.port,
          process: child,
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-8000)));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be started (${opts.bin}): ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${out}`));
    });
  });
}
