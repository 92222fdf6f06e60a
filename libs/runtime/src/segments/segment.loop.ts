import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Logger, NodeRegistry } from '@tributary/engine';
import { SegmentEvaluator } from '@tributary/customer-store';
import type { FlowService } from '../flows/flow.service.js';
import type { RunEnqueuer } from '../queue/run-enqueuer.js';
import { SegmentTriggerDispatcher } from './segment-trigger.dispatcher.js';

export interface SegmentLoopOptions {
  /** Pause between passes when nothing is waiting (default 1000 ms). */
  intervalMs: number;
  /** Full re-evaluation of segments relative to now (dormancy) (default 10 min). */
  fullIntervalMs: number;
  /** Full re-evaluation of the other segments, a repair pass (default 6 h). */
  repairIntervalMs: number;
  /** A change is evaluated again this long after it, for rows committed behind the watermark (default 120 s). */
  settleMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** TRIBUTARY_SEGMENT_INTERVAL_MS, _FULL_INTERVAL_MS, _REPAIR_INTERVAL_MS, _SETTLE_MS. */
export function segmentLoopOptions(env: NodeJS.ProcessEnv = process.env): SegmentLoopOptions {
  return {
    intervalMs: int(env, 'TRIBUTARY_SEGMENT_INTERVAL_MS', 1000),
    fullIntervalMs: int(env, 'TRIBUTARY_SEGMENT_FULL_INTERVAL_MS', 600_000),
    repairIntervalMs: int(env, 'TRIBUTARY_SEGMENT_REPAIR_INTERVAL_MS', 6 * 3600_000),
    settleMs: int(env, 'TRIBUTARY_SEGMENT_SETTLE_MS', 120_000),
  };
}

export interface SegmentLoopDeps {
  ds: DataSource;
  flows: Pick<FlowService, 'publishedFlows'>;
  registry: NodeRegistry;
  enqueuer: Pick<RunEnqueuer, 'enqueue'>;
  log: Logger;
  now?: () => Date;
}

/**
 * The worker's segment duty, one pass after another: evaluate the customers that changed,
 * run the full passes that are due, then start the runs of customer.segment-entered triggers.
 * Every worker runs it; the evaluator's lock and the triggers' cursor locks keep them from
 * doing the same work twice. A pass that found more waiting is followed at once.
 */
export class SegmentLoop {
  readonly evaluator: SegmentEvaluator;
  readonly dispatcher: SegmentTriggerDispatcher;
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: AbortController | null = null;

  constructor(
    private readonly deps: SegmentLoopDeps,
    private readonly options: SegmentLoopOptions = segmentLoopOptions({}),
  ) {
    this.evaluator = new SegmentEvaluator(deps.ds, {
      now: deps.now,
      settleMs: options.settleMs,
      fullIntervalMs: options.fullIntervalMs,
      repairIntervalMs: options.repairIntervalMs,
      log: deps.log,
    });
    this.dispatcher = new SegmentTriggerDispatcher({ ds: deps.ds, flows: deps.flows, registry: deps.registry, enqueuer: deps.enqueuer, log: deps.log });
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Stops after the pass in progress (its transactions commit or roll back, nothing is left half done). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.abort();
    await this.running;
    this.running = null;
  }

  /** One pass; true when more work is waiting. */
  async passOnce(): Promise<boolean> {
    const changes = await this.evaluator.evaluateChanges();
    const full = await this.evaluator.evaluateDue();
    const dispatched = await this.dispatcher.dispatchOnce();
    return changes.more || dispatched.more || full.length > 0;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let more = false;
      try {
        more = await this.passOnce();
        failures = 0;
      } catch (err) {
        failures++;
        this.deps.log.warn('segment pass failed', { error: err instanceof Error ? err.message : String(err), consecutiveFailures: failures });
      }
      if (this.stopped) break;
      if (more) continue;
      this.wake = new AbortController();
      // Back off while the database is unreachable; otherwise the plain interval.
      const delay = failures ? Math.min(30_000, this.options.intervalMs * 2 ** Math.min(failures, 5)) : this.options.intervalMs;
      await sleep(delay, undefined, { signal: this.wake.signal, ref: false }).catch(() => undefined);
    }
  }
}
