// Group commit: callers submit one item and await its result; items that arrive
// while a flush is being prepared share one round trip (a multi-row INSERT, one
// transaction). This is what keeps per-item round trips off the hot path.

export interface BatcherOptions<I, O> {
  /** Flush as soon as this many items are pending. */
  maxSize: number;
  /**
   * Longest an item waits for companions before a flush starts. 0: group commit proper —
   * flush as soon as the current tick's submissions are in, if a flush slot is free;
   * otherwise items gather until one frees up (so batches grow with the load, and an idle
   * system adds no waiting).
   */
  maxWaitMs: number;
  /** Flushes allowed in flight at once (the next batch collects while one commits). */
  maxConcurrentFlushes?: number;
  /** Must return one result per input, in order; a throw rejects every caller of the batch. */
  flush(items: I[]): Promise<O[]>;
}

interface Pending<I, O> {
  item: I;
  resolve(o: O): void;
  reject(e: unknown): void;
}

export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: BatcherOptions<I, O>) {}

  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('batcher is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  submitMany(items: I[]): Promise<O[]> {
    return Promise.all(items.map((i) => this.submit(i)));
  }

  /** Waits until everything submitted so far has been flushed. */
  async drain(): Promise<void> {
    if (this.queue.length > 0) this.kick();
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((res) => this.idleWaiters.push(res));
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
  }

  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.queue.length >= this.opts.maxSize) {
      this.kick();
      return;
    }
    if (this.opts.maxWaitMs <= 0) {
      if (!this.immediate) this.immediate = setImmediate(() => this.kick());
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => this.kick(), this.opts.maxWaitMs);
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    const max = this.opts.maxConcurrentFlushes ?? 4;
    while (this.queue.length > 0 && this.inFlight < max) {
      const batch = this.queue.splice(0, this.opts.maxSize);
      this.inFlight++;
      void this.run(batch);
    }
  }

  private async run(batch: Pending<I, O>[]): Promise<void> {
    try {
      const out = await this.opts.flush(batch.map((p) => p.item));
      if (out.length !== batch.length) throw new Error(`batch flush returned ${out.length} results for ${batch.length} items`);
      batch.forEach((p, i) => p.resolve(out[i] as O));
    } catch (err) {
      batch.forEach((p) => p.reject(err));
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.kick();
      else if (this.inFlight === 0) {
        const waiters = this.idleWaiters.splice(0);
        waiters.forEach((w) => w());
      }
    }
  }
}
