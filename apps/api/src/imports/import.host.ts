import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ImportService, importOptionsFromEnv, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

/**
 * The API process's ImportService: imports are read in the process that stored their file.
 * On boot it resumes imports left running (a crash, a restart); on shutdown it stops reading
 * and hands their leases back so the next start resumes them at once.
 */
@Injectable()
export class ImportHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly service: ImportService;

  constructor(@Inject(RUNTIME) rt: Runtime) {
    this.service = new ImportService({
      ds: rt.ds,
      flows: rt.flows,
      registry: rt.catalog.registry,
      runs: rt.runs,
      enqueuer: rt.enqueuer,
      log: rt.log,
      options: importOptionsFromEnv(),
    });
  }

  onApplicationBootstrap(): void {
    this.service.startSweeper();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.service.close();
  }
}
