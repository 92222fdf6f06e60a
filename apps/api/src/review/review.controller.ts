import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { badRequest, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';
import { Actor } from '../common/principal.js';

/** The review queue: uncertain matches wait here for a human decision. */
@ApiTags('customers')
@Controller('api/review')
export class ReviewController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  async list(@Query('status') status?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.rt.customers.listReviews({ status: status ?? 'pending', limit: limit ? Number(limit) || undefined : undefined, cursor });
  }

  @Post(':id')
  @HttpCode(200)
  async decide(@Param('id') id: string, @Body() body: { decision?: unknown } | undefined, @Actor() actor: string) {
    const decision = body?.decision;
    if (decision !== 'merge' && decision !== 'separate') throw badRequest('invalid_decision', 'decision must be "merge" or "separate"');
    return this.rt.customers.decideReview(id, decision, actor);
  }
}

@ApiTags('customers')
@Controller('api/merges')
export class MergesController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Post(':id/undo')
  @HttpCode(200)
  async undo(@Param('id') id: string, @Actor() actor: string) {
    return this.rt.customers.undoMerge(id, { actor });
  }
}
