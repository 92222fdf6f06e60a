import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { badRequest, notFound, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';
import { Actor } from '../common/principal.js';
import { limitParam } from '../owners/owners.controller.js';

/** Follow-up tasks (made by customer.task): the owners' to-do list. */
@ApiTags('tasks')
@Controller('api/tasks')
export class TasksController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  async list(
    @Query('ownerId') ownerId?: string,
    @Query('customerId') customerId?: string,
    @Query('status') status?: string,
    @Query('dueBefore') dueBefore?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.rt.customers.tasks.list({ ownerId, customerId, status, dueBefore, limit: limitParam(limit), cursor });
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const task = await this.rt.customers.tasks.get(id);
    if (!task) throw notFound('task', id);
    return task;
  }

  /** Done: writes task_completed on the customer's timeline. Completing twice changes nothing; a cancelled task → 409. */
  @Post(':id/complete')
  @HttpCode(200)
  async complete(@Param('id') id: string, @Body() body: { note?: unknown } | undefined, @Actor() actor: string) {
    return this.rt.customers.tasks.complete(id, { actor, note: noteOf(body) });
  }

  /** Cancelled: writes task_cancelled. Cancelling twice changes nothing; a done task → 409. */
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string, @Body() body: { note?: unknown } | undefined, @Actor() actor: string) {
    return this.rt.customers.tasks.cancel(id, { actor, note: noteOf(body) });
  }
}

function noteOf(body: { note?: unknown } | undefined): string | undefined {
  const note = body?.note;
  if (note === undefined || note === null) return undefined;
  if (typeof note !== 'string' || note.length > 5000) throw badRequest('invalid_note', 'note must be a text of at most 5000 characters');
  return note;
}
