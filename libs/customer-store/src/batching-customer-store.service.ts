import type { AssignmentPolicy, AssignOutcome, AssignRequest, CustomerStorePort, TaskOutcome, TaskRequest, TaskSnapshot } from '@tributary/engine';
import type { StoreUpsertInput, StoreUpsertResult } from './customer-store.types.js';
import type { PreparedUpsert } from './customer-upsert.command.js';
import type { CustomerStore, ResolveInput } from './customer-store.service.js';
import type { MatchDecision } from './matching/index.js';
import type { RematchRequest, RematchSummary } from './rematch.command.js';
import type { RescoreRequest, RescoreSummary, ResolvedRfmBreakpoints, RfmConfig, RfmOutcome, RfmRequest, ScoreOutcome, ScoreRequest } from './scoring/scoring.types.js';

export interface BatchingOptions {
  /** Flush as soon as this many inputs are pending (default 200). */
  maxBatchSize?: number;
  /** Otherwise flush this long after the first pending call (default 2 ms). */
  maxDelayMs?: number;
  /** Batches in flight at once, each on its own connection (default 2). */
  maxConcurrentBatches?: number;
}

interface PendingCall {
  prepared: PreparedUpsert[];
  resolve(results: StoreUpsertResult[]): void;
  reject(err: unknown): void;
}

/**
 * Coalesces concurrent upsert calls (many flow runs in one worker process) into one
 * transaction: a few multi-row statements for a whole batch instead of a dozen round trips
 * per input. Serialization failures and deadlocks are retried by the store; any other
 * failure of a batch is replayed input by input, so one bad input fails only its own call.
 */
export class BatchingCustomerStore implements CustomerStorePort {
  /** Counters for /metrics: batches written, and batches that fell back to one input at a time. */
  readonly stats = { batches: 0, fallbacks: 0 };
  private readonly maxBatchSize: number;
  private readonly maxDelayMs: number;
  private readonly maxConcurrent: number;
  private pending: PendingCall[] = [];
  private pendingInputs = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  constructor(
    readonly store: CustomerStore,
    options: BatchingOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 2;
    this.maxConcurrent = options.maxConcurrentBatches ?? 2;
  }

  upsert(inputs: StoreUpsertInput[]): Promise<StoreUpsertResult[]> {
    if (inputs.length === 0) return Promise.resolve([]);
    let prepared: PreparedUpsert[];
    try {
      // Invalid inputs fail their own call here and never join a batch.
      prepared = inputs.map((input) => this.store.prepare(input));
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ prepared, resolve, reject });
      this.pendingInputs += prepared.length;
      this.schedule();
    });
  }

  /**
   * Read-only resolution (customer.resolve), straight to the store: it takes no locks, so
   * there is nothing to coalesce. Not ordered after pending upserts.
   */
  resolve(inputs: ResolveInput[]): Promise<MatchDecision[]> {
    return this.store.resolve(inputs);
  }

  /** Assignment, tasks: straight to the store (each call is its own transaction, with its own row locks). */
  assign(policy: AssignmentPolicy, requests: AssignRequest[]): Promise<AssignOutcome[]> {
    return this.store.assign(policy, requests);
  }

  createTasks(requests: TaskRequest[]): Promise<TaskOutcome[]> {
    return this.store.createTasks(requests);
  }

  getTasks(ids: string[]): Promise<(TaskSnapshot | undefined)[]> {
    return this.store.getTasks(ids);
  }

  /** Scoring: straight to the store (each call is its own transaction, with its own row locks). */
  score(request: ScoreRequest): Promise<ScoreOutcome[]> {
    return this.store.score(request);
  }

  scoreRfm(request: RfmRequest): Promise<RfmOutcome[]> {
    return this.store.scoreRfm(request);
  }

  rfmBreakpoints(config: RfmConfig): Promise<ResolvedRfmBreakpoints> {
    return this.store.rfmBreakpoints(config);
  }

  rescore(request: RescoreRequest): Promise<RescoreSummary> {
    return this.store.rescore(request);
  }

  /** Identity resolution over the whole store: straight to the store (each merge its own transaction). */
  rematch(request: RematchRequest): Promise<RematchSummary> {
    return this.store.rematch(request);
  }

  /** Resolves once everything submitted so far is written (or failed). */
  flush(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.drain(true);
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.pendingInputs >= this.maxBatchSize) this.drain(false);
    else this.armTimer();
  }

  private armTimer(): void {
    if (this.timer || this.pending.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain(true);
    }, this.maxDelayMs);
  }

  /** Starts batches while connections allow; a partial batch only when its delay is up. */
  private drain(partial: boolean): void {
    while (this.pending.length > 0 && this.inFlight < this.maxConcurrent && (partial || this.pendingInputs >= this.maxBatchSize)) {
      const calls: PendingCall[] = [];
      let size = 0;
      while (this.pending.length > 0 && (calls.length === 0 || size + this.pending[0]!.prepared.length <= this.maxBatchSize)) {
        const call = this.pending.shift()!;
        calls.push(call);
        size += call.prepared.length;
      }
      this.pendingInputs -= size;
      this.inFlight++;
      void this.run(calls).finally(() => {
        this.inFlight--;
        // Whatever queued up while this batch ran has waited long enough.
        if (this.pending.length > 0) this.drain(true);
        else if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
      });
    }
    // A partial batch left behind waits for its delay; with every connection busy, the
    // next batch to finish picks it up instead.
    if (this.inFlight < this.maxConcurrent) this.armTimer();
  }

  private async run(calls: PendingCall[]): Promise<void> {
    const batch = calls.flatMap((c) => c.prepared);
    this.stats.batches++;
    try {
      const results = await this.store.upsertPrepared(batch);
      let offset = 0;
      for (const call of calls) {
        call.resolve(results.slice(offset, offset + call.prepared.length));
        offset += call.prepared.length;
      }
    } catch (err) {
      if (batch.length === 1) {
        calls[0]!.reject(err);
        return;
      }
      this.stats.fallbacks++;
      await this.runOneByOne(calls);
    }
  }

  /** The fallback after a failed batch: each input in its own transaction. */
  private async runOneByOne(calls: PendingCall[]): Promise<void> {
    for (const call of calls) {
      const results: StoreUpsertResult[] = [];
      let failure: { err: unknown } | undefined;
      for (const p of call.prepared) {
        try {
          const [result] = await this.store.upsertPrepared([p]);
          results.push(result!);
        } catch (err) {
          failure ??= { err };
        }
      }
      if (failure) call.reject(failure.err);
      else call.resolve(results);
    }
  }
}
