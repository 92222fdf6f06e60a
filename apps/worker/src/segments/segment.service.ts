import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SegmentLoop, segmentLoopOptions, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../tokens.js';

/** Keeps segments up to date and starts customer.segment-entered runs, in every worker (see SegmentLoop). */
@Injectable()
export class SegmentWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: SegmentLoop;

  constructor(@Inject(RUNTIME) rt: Runtime) {
    this.loop = new SegmentLoop(
      { ds: rt.ds, flows: rt.flows, registry: rt.catalog.registry, enqueuer: rt.enqueuer, log: rt.log },
      segmentLoopOptions(process.env),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
