import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

@ApiTags('operations')
@Controller('api/health')
export class HealthController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  async health(@Res() reply: FastifyReply) {
    const checks: Record<string, { ok: boolean; detail?: unknown }> = {};
    try {
      await this.rt.ds.query('SELECT 1');
      checks.database = { ok: true };
    } catch (err) {
      checks.database = { ok: false, detail: String(err) };
    }
    try {
      const counts = await this.rt.queues.runs.getJobCounts('waiting', 'active', 'delayed', 'failed');
      checks.queue = { ok: true, detail: { backend: this.rt.config.queueBackend, ...counts } };
    } catch (err) {
      checks.queue = { ok: false, detail: { backend: this.rt.config.queueBackend, error: String(err) } };
    }
    if (checks.database.ok) {
      const [row] = await this.rt.ds.query(
        `SELECT
           (SELECT min(created_at) FROM runs WHERE status = 'queued') AS oldest_queued,
           (SELECT max(finished_at) FROM runs WHERE finished_at > now() - interval '1 hour') AS last_finished`,
      );
      const oldest = row.oldest_queued ? new Date(row.oldest_queued).getTime() : null;
      const last = row.last_finished ? new Date(row.last_finished).getTime() : null;
      const now = Date.now();
      // Runs queued this long with nothing finishing meanwhile: the queue has stopped making progress.
      const STALL_MS = this.rt.config.healthStallMs;
      const stalled = oldest !== null && now - oldest > STALL_MS && (last === null || now - last > STALL_MS);
      checks.progress = {
        ok: !stalled,
        detail: {
          oldestQueuedAt: oldest ? new Date(oldest).toISOString() : null,
          lastFinishedAt: last ? new Date(last).toISOString() : null,
          ...(stalled ? { reason: `runs have been queued for over ${STALL_MS / 1000} s and none finished meanwhile: are workers running?` } : {}),
        },
      };
    }
    const ok = Object.values(checks).every((c) => c.ok);
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unhealthy', checks });
  }
}
