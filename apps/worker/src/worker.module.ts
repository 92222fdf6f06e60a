import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { FlowSlots, queueConnectionOptions, RunExecutor, RUNS_QUEUE, TRIGGERS_QUEUE, type Runtime } from '@tributary/runtime';
import { EXECUTOR, METRICS, RUNTIME } from './tokens.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';
import { FlowRunProcessor } from './runs/flow-run.processor.js';
import { TriggerProcessor } from './triggers/trigger.processor.js';
import { MaintenanceService } from './recovery/maintenance.service.js';
import { SegmentWorkerService } from './segments/segment.service.js';

/** The worker host: a Nest application context without HTTP, running the queue processors. */
@Module({})
export class WorkerModule {
  static forRuntime(rt: Runtime, metrics: WorkerMetrics): DynamicModule {
    return {
      module: WorkerModule,
      imports: [BullModule.forRoot(queueConnectionOptions(rt.config, 'worker')), BullModule.registerQueue({ name: RUNS_QUEUE }, { name: TRIGGERS_QUEUE })],
      providers: [
        { provide: RUNTIME, useValue: rt },
        { provide: METRICS, useValue: metrics },
        {
          provide: EXECUTOR,
          useFactory: () =>
            new RunExecutor({
              ...rt.nodeHost(),
              runs: rt.runs,
              flows: rt.flows,
              slots: new FlowSlots(rt.ds, Math.max(30_000, rt.config.jobLockMs * 2)),
              observer: metrics,
            }),
        },
        FlowRunProcessor,
        TriggerProcessor,
        MaintenanceService,
        SegmentWorkerService,
      ],
    };
  }
}
