import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export interface RedisServerHandle {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The `redis-server` binary on PATH, or undefined. */
export function findRedisServer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Starts redis-server on loopback; `dir` holds its append-only file when `persistent`. */
export function startRedisServer(opts: { bin: string; port: number; dir: string; persistent: boolean; log?: (l: string) => void }): Promise<RedisServerHandle> {
  mkdirSync(opts.dir, { recursive: true });
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
  ];
  const child = spawn(opts.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
              if (child.exitCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${out}`));
    });
  });
}
