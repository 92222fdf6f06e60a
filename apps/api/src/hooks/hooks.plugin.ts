import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebhookResponse } from '@tributary/engine';
import type { Runtime } from '@tributary/runtime';
import { toErrorBody } from '../common/error-body.js';
import type { MetricsService } from '../metrics/metrics.service.js';

/**
 * `/hooks/:flowId/:nodeId`, registered on Fastify directly (an encapsulated
 * plugin) so that every content type arrives as raw bytes, which signatures are
 * checked on, and the hot path skips the framework's per-request machinery.
 */
export function hooksPlugin(rt: Runtime, metrics: MetricsService) {
  return async function hooks(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: rt.config.maxBodyBytes }, (_req, body, done) => done(null, body));
    app.setErrorHandler((err, _req, reply) => {
      const { status, body } = toErrorBody(err);
      if (status >= 500) rt.log.error('webhook delivery failed', { error: err instanceof Error ? err.stack : String(err) });
      metrics.webhookDeliveries.inc({ outcome: String(status) });
      void reply.status(status).send(body);
    });

    const handler = async (req: FastifyRequest<{ Params: { flowId: string; nodeId: string } }>, reply: FastifyReply) => {
      const started = process.hrtime.bigint();
      const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost';
      const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? req.protocol;
      const query: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) query[k] = Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const answer: WebhookResponse = await rt.ingress.handle(req.params.flowId, req.params.nodeId, {
        method: req.method,
        headers,
        query,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        url: `${proto}://${host}${req.url}`,
      });
      metrics.webhookAckSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      metrics.webhookDeliveries.inc({ outcome: String(answer.status) });
      if (answer.headers) for (const [k, v] of Object.entries(answer.headers)) void reply.header(k, v);
      const body = answer.body;
      if (body === undefined) return reply.status(answer.status).send();
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (!answer.headers?.['content-type']) void reply.header('content-type', 'text/plain; charset=utf-8');
        return reply.status(answer.status).send(body);
      }
      return reply.status(answer.status).send(body);
    };

    app.route({ method: ['GET', 'POST', 'PUT', 'HEAD'], url: '/hooks/:flowId/:nodeId', bodyLimit: rt.config.maxBodyBytes, handler });
  };
}
