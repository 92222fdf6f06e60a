import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RUNS_QUEUE, runJobOptions, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

@ApiTags('runs')
@Controller('api/runs')
export class RunsController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  async list(@Query('flowId') flowId?: string, @Query('status') status?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.rt.runs.list({ flowId, status, limit: limit ? Number(limit) || 50 : undefined, cursor });
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return this.rt.runs.get(id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string) {
    const { runId, jobId } = await this.rt.runs.retry(id);
    await this.rt.queues.runs.add(RUNS_QUEUE, { runId }, runJobOptions(jobId)).catch(() => undefined); // the sweep covers a queue outage
    return { runId, status: 'queued' };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string) {
    const { runId, jobId } = await this.rt.runs.cancel(id);
    // A waiting job is dropped; an active one is aborted by its worker's cancellation watcher.
    const job = await this.rt.queues.runs.getJob(jobId).catch(() => undefined);
    await job?.remove().catch(() => undefined);
    return { runId, status: 'cancelled' };
  }
}
