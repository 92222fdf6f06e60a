import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function ps(pid: number, field: 'stat' | 'command'): string {
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', `${field}=`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // An orphan that exited stays a zombie where PID 1 does not reap (some containers).
  return !ps(pid, 'stat').startsWith('Z');
}

/**
 * Stops a server left running by a launcher that was killed (SIGKILL, a closed terminal):
 * its pid file still names a live process, which would hold the data directory. The
 * command line must contain `expectedCommand`, so a recycled pid is never signalled.
 * Returns true when a process was stopped.
 */
export async function stopStaleProcess(pidFile: string, expectedCommand: string, signal: NodeJS.Signals = 'SIGTERM', log?: (line: string) => void): Promise<boolean> {
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]?.trim());
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !alive(pid)) return false;
  if (!ps(pid, 'command').includes(expectedCommand)) return false;
  log?.(`stopping ${expectedCommand} (pid ${pid}) left running by an earlier start`);
  process.kill(pid, signal);
  for (let waited = 0; waited < 15_000 && alive(pid); waited += 100) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}
