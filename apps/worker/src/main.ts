import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { loadConfig, queueConnectionOptions, Runtime, RUNS_QUEUE, selectQueueBackend, TRIGGERS_QUEUE } from '@tributary/runtime';
import { WorkerModule } from './worker.module.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';

export async function bootstrap() {
  const config = loadConfig();
  selectQueueBackend(config);
  const qopts = queueConnectionOptions(config, 'worker');
  const queues = { runs: new Queue(RUNS_QUEUE, qopts), triggers: new Queue(TRIGGERS_QUEUE, qopts) };
  const rt = await Runtime.start(config, 'worker', queues);
  const metrics = new WorkerMetrics();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(rt, metrics), { logger: ['error', 'warn'] });
  await app.init();
  const metricsServer = config.workerMetricsPort === undefined ? undefined : await metrics.listen(config.workerMetricsPort, config.host);
  if (metricsServer) rt.log.info('worker metrics', { url: `http://${config.host}:${config.workerMetricsPort}/metrics` });
  rt.log.info('worker started', { concurrency: config.workerConcurrency, queue: config.queueBackend });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info('worker stopping: finishing in-flight runs', { signal });
    // Closing the BullMQ workers waits for active jobs; anything cut short is recovered from its checkpoints.
    metricsServer?.close();
    await app.close();
    await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
    await rt.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

await bootstrap();
