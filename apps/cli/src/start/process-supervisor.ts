import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const PARENT_WATCH = `data:text/javascript,process.on('disconnect',()=>process.kill(process.pid,'SIGTERM'))`;

export interface SupervisedProcessOptions {
  /** `api`, `worker`: used in log lines. */
  name: string;
  /** The Node script to fork. */
  entry: string;
  env: Record<string, string>;
  log: (line: string) => void;
  /** Each line the child prints; when absent the child writes straight to our stdout and stderr. */
  output?: (name: string, line: string) => void;
  /** First restart delay, doubled on each crash in a row (default 1 s, at most maxBackoffMs). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long is healthy again: the next crash restarts after backoffMs (default 60 s). */
  stableAfterMs?: number;
  /** Give up after this many crashes in a row, each within quickCrashMs of starting (default 5 within 10 s). */
  maxQuickCrashes?: number;
  quickCrashMs?: number;
  /** Called once when the supervisor gives up on a crash-looping child. */
  onGiveUp?: (err: Error) => void;
}

/**
 * One child process (api or worker) kept running: restarted with exponential backoff when
 * it crashes, stopped with SIGTERM then SIGKILL on shutdown.
 */
export class SupervisedProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  private startedAt = 0;
  private crashesInARow = 0;
  private quickCrashes = 0;
  /** Starts so far, for tests and logs. */
  starts = 0;

  constructor(private readonly opts: SupervisedProcessOptions) {}

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (this.stopping || this.child) return;
    const { opts } = this;
    const piped = opts.output !== undefined;
    const child = fork(opts.entry, [], {
      env: opts.env,
      // No inherited --inspect or jest flags; source maps for readable stack traces; and if
      // the launcher itself dies (SIGKILL), the closed IPC channel makes the child shut down
      // the graceful way instead of living on as an orphan.
      execArgv: ['--enable-source-maps', '--import', PARENT_WATCH],
      stdio: piped ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
      // Own process group: a Ctrl-C in the terminal reaches only the launcher, which
      // then stops the children in order and waits for their in-flight runs.
      detached: true,
    });
    this.child = child;
    this.starts++;
    this.startedAt = Date.now();
    if (piped) {
      for (const stream of [child.stdout, child.stderr]) {
        if (stream) createInterface({ input: stream }).on('line', (line) => opts.output!(opts.name, line));
      }
    }
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        opts.log(`${opts.name} could not be started: ${err.message}`);
        if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
          this.onExit(child, 1, null);
          resolve();
        }
      });
      // 'close', not 'exit': it comes once the child's output has been read to the end, so
      // the last lines a stopping child prints are not lost.
      child.once('close', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
    });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.stopping) return;
    const { opts } = this;
    const ranMs = Date.now() - this.startedAt;
    if (ranMs >= (opts.stableAfterMs ?? 60_000)) this.crashesInARow = 0;
    this.quickCrashes = ranMs < (opts.quickCrashMs ?? 10_000) ? this.quickCrashes + 1 : 0;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.quickCrashes >= (opts.maxQuickCrashes ?? 5)) {
      opts.log(`${opts.name} ${how}; it crashed ${this.quickCrashes} times in a row right after starting, giving up`);
      opts.onGiveUp?.(new Error(`${opts.name} keeps crashing on start (last: ${how})`));
      return;
    }
    const delay = Math.min((opts.backoffMs ?? 1000) * 2 ** this.crashesInARow, opts.maxBackoffMs ?? 30_000);
    this.crashesInARow++;
    opts.log(`${opts.name} ${how}; restarting in ${delay >= 1000 ? `${delay / 1000} s` : `${delay} ms`}`);
    this.restartTimer = setTimeout(() => this.start(), delay);
  }

  /**
   * SIGTERM, then SIGKILL if the child has not exited after `timeoutMs`. No restart after
   * this. The child decides what graceful means (finish or return its in-flight runs).
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => {
      this.opts.log(`${this.opts.name} did not stop within ${timeoutMs / 1000} s; killing it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    await this.exited;
    clearTimeout(killer);
  }

  /** SIGKILL now (a second Ctrl-C). */
  async kill(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }
}
