import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from '@tributary/engine';
import { toErrorBody } from './error-body.js';

@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = toErrorBody(exception);
    if (status >= 500) this.log.error('request failed', { error: exception instanceof Error ? exception.stack : String(exception) });
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
