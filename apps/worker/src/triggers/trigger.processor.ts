import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { TRIGGERS_QUEUE, TriggerRunner, type TriggerJobData } from '@tributary/runtime';
import { RUNTIME } from '../tokens.js';
import type { Runtime } from '@tributary/runtime';

/** Schedule ticks and polls; each tick's job id is unique, so a tick makes at most one run. */
@Processor(TRIGGERS_QUEUE, { concurrency: 4 })
export class TriggerProcessor extends WorkerHost {
  private readonly runner: TriggerRunner;

  constructor(@Inject(RUNTIME) rt: Runtime) {
    super();
    this.runner = new TriggerRunner({
      ds: rt.ds,
      flows: rt.flows,
      registry: rt.catalog.registry,
      connections: rt.connections,
      runs: rt.runs,
      enqueuer: rt.enqueuer,
      http: rt.http,
      cache: rt.cache,
      log: rt.log,
    });
  }

  async process(job: Job<TriggerJobData>): Promise<{ runs: number }> {
    const controller = new AbortController();
    return this.runner.handle(job.data, String(job.id), controller.signal);
  }
}
