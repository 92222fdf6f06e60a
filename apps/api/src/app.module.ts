import { Module, type DynamicModule } from '@nestjs/common';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from './common/tokens.js';
import { FlowsController } from './flows/flows.controller.js';
import { FlowTestController } from './flows/flow-test.controller.js';
import { RunsController } from './runs/runs.controller.js';
import { ConnectionsController } from './connections/connections.controller.js';
import { CustomersController } from './customers/customers.controller.js';
import { NodesController } from './nodes/nodes.controller.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { MergesController, ReviewController } from './review/review.controller.js';
import { ImportHost } from './imports/import.host.js';
import { ImportsController } from './imports/imports.controller.js';
import { SegmentsController } from './segments/segments.controller.js';
import { OwnersController } from './owners/owners.controller.js';
import { TeamsController } from './teams/teams.controller.js';
import { TasksController } from './tasks/tasks.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { UsersController } from './users/users.controller.js';

/** The HTTP host: every controller talks to the one Runtime built in main.ts. */
@Module({})
export class AppModule {
  static forRuntime(rt: Runtime): DynamicModule {
    return {
      module: AppModule,
      controllers: [FlowsController, FlowTestController, RunsController, ConnectionsController, CustomersController, ReviewController, MergesController, NodesController, HealthController, MetricsController, ImportsController, SegmentsController, OwnersController, TeamsController, TasksController, ReportsController, AuthController, UsersController],
      providers: [{ provide: RUNTIME, useValue: rt }, MetricsService, ImportHost],
      exports: [RUNTIME, MetricsService],
    };
  }
}
