import type { RunStore } from './run.store.js';
import type { RunExecutor } from './run-executor.js';

/** Aborts runs an operator cancelled while they execute here: one query per interval, however many runs. */
export class CancellationWatcher {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly runs: RunStore, private readonly executor: RunExecutor, private readonly intervalMs = 1000) {}

  start(): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    for (const id of await this.runs.cancelledAmong(this.executor.activeRunIds())) this.executor.abort(id);
  }
}
