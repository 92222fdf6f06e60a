import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CancellationWatcher, RecoverySweeper, type RunExecutor, type Runtime } from '@tributary/runtime';
import { EXECUTOR, RUNTIME } from '../tokens.js';

/** Background duties of every worker: recover lost runs, prune old payloads, abort cancelled runs. */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly sweeper: RecoverySweeper;
  private readonly watcher: CancellationWatcher;

  constructor(@Inject(RUNTIME) private readonly rt: Runtime, @Inject(EXECUTOR) executor: RunExecutor) {
    const staleMs = Number(process.env.TRIBUTARY_RECOVERY_STALE_MS || Math.max(10_000, rt.config.jobLockMs * 2));
    this.sweeper = new RecoverySweeper(rt.ds, rt.runs, rt.queues.runs, rt.log, { staleMs, retentionDays: rt.config.retentionDays });
    this.watcher = new CancellationWatcher(rt.runs, executor);
  }

  onApplicationBootstrap(): void {
    this.watcher.start();
    const every = Number(process.env.TRIBUTARY_SWEEP_INTERVAL_MS || 10_000);
    const tick = async () => {
      try {
        await this.sweeper.sweepOnce();
        await this.rt.cache.prune();
        await this.rt.users.prune();
      } catch (err) {
        this.rt.log.warn('recovery sweep failed', { error: String(err) });
      }
      this.timer = setTimeout(() => void tick(), every);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void tick(), Math.min(every, 2000));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.watcher.stop();
    if (this.timer) clearTimeout(this.timer);
  }
}
