import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import fastifyStatic from '@fastify/static';
import { loadConfig, queueConnectionOptions, Runtime, RUNS_QUEUE, selectQueueBackend, TRIGGERS_QUEUE } from '@tributary/runtime';
import { AppModule } from './app.module.js';
import { AuthGuard } from './common/auth.guard.js';
import { ErrorFilter } from './common/error.filter.js';
import { hooksPlugin } from './hooks/hooks.plugin.js';
import { MetricsService } from './metrics/metrics.service.js';
import { importExampleFlows } from './flows/example-flows.seeder.js';
import { registerImportBodyParser } from './imports/import-body.parser.js';
import { registerStorableRequests } from './common/storable-request.hook.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

export async function bootstrap(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  selectQueueBackend(config);
  const qopts = queueConnectionOptions(config, 'producer');
  const queues = { runs: new Queue(RUNS_QUEUE, qopts), triggers: new Queue(TRIGGERS_QUEUE, qopts) };
  for (const q of Object.values(queues)) q.on('error', () => undefined); // outages are reported by /api/health
  const rt = await Runtime.start(config, 'api', queues);

  const adapter = new FastifyAdapter({ bodyLimit: config.maxBodyBytes, trustProxy: config.trustProxy, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRuntime(rt), adapter, { logger: ['error', 'warn'], bufferLogs: false });
  const fastify = app.getHttpAdapter().getInstance();
  registerStorableRequests(fastify);
  await fastify.register(hooksPlugin(rt, app.get(MetricsService)));
  registerImportBodyParser(fastify); // file uploads reach their route as a stream

  app.useGlobalGuards(new AuthGuard(config.adminToken, rt.users));
  app.useGlobalFilters(new ErrorFilter(rt.log));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tributary API')
      .setDescription('Flows, runs, connections, customers. Webhooks are received at /hooks/{flowId}/{nodeId}.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  fastify.get('/api/docs', async (_req, reply) => reply.send(document));
  fastify.get('/api/docs/openapi.json', async (_req, reply) => reply.send(document));

  const editorDir = config.editorDir ?? join(repoRoot, 'apps/editor/dist');
  if (existsSync(join(editorDir, 'index.html'))) {
    await fastify.register(fastifyStatic, { root: editorDir, prefix: '/', wildcard: false, index: ['index.html'] });
  } else {
    fastify.get('/', async (_req, reply) =>
      reply.type('text/html').send('<!doctype html><title>Tributary</title><p>Tributary API is running. The editor is not built: <code>npm run build</code>.</p>'),
    );
  }

  await importExampleFlows(rt, process.env.TRIBUTARY_FLOWS_DIR ?? join(repoRoot, 'flows'));
  await rt.scheduler.reconcile(await rt.flows.publishedFlows()).catch((err) => rt.log.warn('could not reconcile schedules', { error: String(err) }));

  const shutdown = async () => {
    await app.close();
    await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
    await rt.close();
  };
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
  process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));

  await app.listen({ port: config.port, host: config.host });
  rt.log.info('api listening', { url: config.publicUrl, port: config.port, queue: config.queueBackend });
  return app;
}

await bootstrap();
