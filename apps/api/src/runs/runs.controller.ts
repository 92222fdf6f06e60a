import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { RUNS_QUEUE, runJobOptions, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

const POLL_MS = 500;
/** How often a stream opened with a session token checks that the session still holds (signed out, expired, disabled). */
const SESSION_CHECK_TICKS = 20;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Takes over the response as a Server-Sent Events stream: every POLL_MS it reads a cheap change mark and,
 * when it moved, sends `load()` as a `data:` event. Stops when the client leaves or `done(value)` says so,
 * and with an `error` event when `authorized()` (checked every few seconds) says the sign-in has ended.
 */
function stream<T>(
  open: Set<() => void>,
  reply: FastifyReply,
  mark: () => Promise<string | null>,
  load: () => Promise<T>,
  done: (value: T) => boolean,
  authorized: () => Promise<boolean>,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 2000\n\n');
  let closed = false;
  let last: string | null | undefined;
  let timer: NodeJS.Timeout | undefined;
  let idle = 0;
  let ticks = 0;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    open.delete(close);
    res.end();
  };
  open.add(close);
  res.on('close', close); // the client left (or the response ended)
  const tick = async () => {
    try {
      if (++ticks % SESSION_CHECK_TICKS === 0 && !(await authorized())) {
        if (closed) return;
        res.write(`event: error\ndata: ${JSON.stringify({ code: 'unauthorized', message: 'the sign-in has ended (signed out, expired or disabled)' })}\n\n`);
        return close();
      }
      const m = await mark();
      if (closed) return;
      if (m !== last) {
        last = m;
        idle = 0;
        const value = await load();
        if (closed) return;
        res.write(`data: ${JSON.stringify(value)}\n\n`);
        if (done(value)) return close();
      } else if (++idle >= 30) {
        idle = 0;
        res.write(': keep-alive\n\n'); // through proxies that drop quiet connections
      }
    } catch (err) {
      if (closed) return;
      res.write(`event: error\ndata: ${JSON.stringify({ message: err instanceof Error ? err.message : String(err) })}\n\n`);
      return close();
    }
    if (!closed) timer = setTimeout(() => void tick(), POLL_MS);
  };
  void tick();
}

@ApiTags('runs')
@Controller('api/runs')
export class RunsController implements OnModuleDestroy {
  /** Open event streams, ended on shutdown so that closing the server does not wait for the clients. */
  private readonly streams = new Set<() => void>();

  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  onModuleDestroy(): void {
    for (const close of [...this.streams]) close();
  }

  @Get()
  async list(@Query('flowId') flowId?: string, @Query('status') status?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.rt.runs.list({ flowId, status, limit: limit ? Number(limit) || 50 : undefined, cursor });
  }

  /** The first page of `GET /api/runs?flowId=` as Server-Sent Events, again whenever a run is added or changes. */
  @Get('stream')
  async streamList(@Query('flowId') flowId: string | undefined, @Query('status') status: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    stream(
      this.streams,
      reply,
      () => this.rt.runs.listMark(flowId || undefined),
      () => this.rt.runs.list({ flowId: flowId || undefined, status: status || undefined }),
      () => false,
      this.stillSignedIn(req),
    );
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return this.rt.runs.get(id);
  }

  /** The run view as Server-Sent Events whenever its status or steps change; ends when the run finishes. */
  @Get(':id/events')
  async events(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.rt.runs.get(id); // 404 before the stream starts
    stream(this.streams, reply, () => this.rt.runs.changeMark(id), () => this.rt.runs.get(id), (run) => FINISHED.has(run.status), this.stillSignedIn(req));
  }

  /** A stream opened with a session token ends with the session; the admin token's never does. */
  private stillSignedIn(req: FastifyRequest): () => Promise<boolean> {
    const p = req.principal;
    if (!p || p.kind !== 'user') return async () => true;
    return async () => (await this.rt.users.authenticate(p.token)) !== undefined;
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
