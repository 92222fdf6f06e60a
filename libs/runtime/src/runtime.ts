import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createExpressionEvaluator, type ExpressionEvaluator, type HttpClient } from '@tributary/engine';
import { BatchingCustomerStore, CustomerStore } from '@tributary/customer-store';
import type { RuntimeConfig } from './config/config.js';
import { createDataSource, runMigrations } from './db/data-source.js';
import { createCatalog, type Catalog } from './registry/catalog.js';
import { FlowService } from './flows/flow.service.js';
import { TriggerScheduler } from './flows/trigger-scheduler.js';
import { RunStore } from './runs/run.store.js';
import { RunEnqueuer } from './queue/run-enqueuer.js';
import { ConnectionService } from './connections/connection.service.js';
import { WebhookIngress } from './ingest/webhook-ingress.js';
import { createHttpClient } from './http/http-client.js';
import { PgSharedCache } from './cache/pg-shared-cache.js';
import { createLogger, type PinoLogger } from './logging/logger.js';
import { UserService } from './users/user.service.js';
import type { RunExecutorDeps } from './runs/run-executor.js';
import type { StepTesterDeps } from './flows/step-tester.js';

export type Role = 'api' | 'worker' | 'cli';

export interface RuntimeQueues {
  runs: Queue;
  triggers: Queue;
}

/**
 * The composition root shared by the api and worker hosts: one DataSource, the
 * node catalogue, and the services built on them. Nest-free so the CLI and
 * tests can use it as is.
 */
export class Runtime {
  readonly log: PinoLogger;
  readonly catalog: Catalog;
  readonly flows: FlowService;
  readonly runs: RunStore;
  readonly connections: ConnectionService;
  readonly customers: CustomerStore;
  /** Coalesces upserts of concurrent runs into batches (the worker's ctx.store). */
  readonly customerWriter: BatchingCustomerStore;
  readonly http: HttpClient;
  /** ctx.cache: vendor tokens and rate-limit windows shared by every process. */
  readonly cache: PgSharedCache;
  readonly expr: ExpressionEvaluator;
  readonly enqueuer: RunEnqueuer;
  readonly ingress: WebhookIngress;
  readonly scheduler: TriggerScheduler;
  /** People who sign in, their roles and sessions (the admin token stays outside it). */
  readonly users: UserService;

  private constructor(
    readonly config: RuntimeConfig,
    readonly role: Role,
    readonly ds: DataSource,
    readonly queues: RuntimeQueues,
  ) {
    this.log = createLogger(config.logLevel, role);
    this.catalog = createCatalog();
    this.http = createHttpClient({ userAgent: 'Tributary/0.1', allowedPrivateHosts: config.httpAllowPrivateHosts });
    this.expr = createExpressionEvaluator();
    this.cache = new PgSharedCache(ds);
    this.flows = new FlowService(ds, this.catalog.registry);
    this.runs = new RunStore(ds);
    this.connections = new ConnectionService(ds, config.secretKey, this.catalog.connectors, this.http);
    this.customers = new CustomerStore(ds);
    this.customerWriter = new BatchingCustomerStore(this.customers);
    this.enqueuer = new RunEnqueuer(queues.runs, this.log);
    this.ingress = new WebhookIngress({
      flows: this.flows,
      registry: this.catalog.registry,
      connections: this.connections,
      runs: this.runs,
      enqueuer: this.enqueuer,
      log: this.log,
    });
    this.scheduler = new TriggerScheduler(queues.triggers, this.catalog.registry, this.log);
    this.users = new UserService(ds, { sessionTtlMs: config.sessionTtlMs });
  }

  /**
   * What running a node needs from this process (its ports, the catalogue, connection secrets,
   * the logger): shared by the worker's RunExecutor and the API's StepTester.
   */
  nodeHost(): Pick<RunExecutorDeps & StepTesterDeps, 'registry' | 'connections' | 'store' | 'http' | 'cache' | 'expr' | 'log'> {
    return {
      registry: this.catalog.registry,
      connections: this.connections,
      store: this.customerWriter,
      http: this.http,
      cache: this.cache,
      expr: this.expr,
      log: this.log,
    };
  }

  static async start(config: RuntimeConfig, role: Role, queues: RuntimeQueues, opts: { poolSize?: number } = {}): Promise<Runtime> {
    const ds = createDataSource({ url: config.databaseUrl, poolSize: opts.poolSize ?? (role === 'worker' ? 20 : 16), applicationName: `tributary-${role}` });
    await ds.initialize();
    await runMigrations(ds);
    return new Runtime(config, role, ds, queues);
  }

  async close(): Promise<void> {
    await this.runs.drain().catch(() => undefined);
    await this.enqueuer.drain().catch(() => undefined);
    await this.customerWriter.flush().catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
