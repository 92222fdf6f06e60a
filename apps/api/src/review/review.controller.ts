import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { badRequest, type Runtime } from '@tributary/runtime';
import { toErrorBody } from '../common/error-body.js';
import { RUNTIME } from '../common/tokens.js';
import { Actor } from '../common/principal.js';

/** The review queue: uncertain matches wait here for a human decision. */
@ApiTags('customers')
@Controller('api/review')
export class ReviewController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  async list(@Query('status') status?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string, @Query('rule') rule?: string, @Query('order') order?: string) {
    return this.rt.customers.listReviews({ status: status ?? 'pending', limit: limit ? Number(limit) || undefined : undefined, cursor, rule, order });
  }

  /**
   * Several decisions at once: `{"decisions":[{"id","decision"}…]}` (1–200) → `{"results":[…]}` in the
   * same order, each `{"id","status":200,"review","merge"?}` or `{"id","status":404|409|400,"error"}`.
   * Each is its own transaction; one that fails does not stop the others.
   */
  @Post('decisions')
  @HttpCode(200)
  async decideMany(@Body() body: { decisions?: unknown } | undefined, @Actor() actor: string) {
    const decisions = body?.decisions;
    if (!Array.isArray(decisions) || decisions.length === 0 || decisions.length > 200) {
      throw badRequest('invalid_decisions', 'decisions must be an array of 1 to 200 {"id","decision"} items');
    }
    decisions.forEach((d, i) => {
      const ok = d && typeof d === 'object' && typeof (d as { id?: unknown }).id === 'string' && ['merge', 'separate'].includes((d as { decision?: unknown }).decision as string);
      if (!ok) throw badRequest('invalid_decisions', `decisions[${i}] must be {"id": "<review id>", "decision": "merge" | "separate"}`);
    });
    const outcomes = await this.rt.customers.decideReviews(decisions as { id: string; decision: 'merge' | 'separate' }[], actor);
    return {
      results: outcomes.map((o) => {
        if (o.ok) return { id: o.id, status: 200, ...o.result };
        const { status, body: err } = toErrorBody(o.error);
        return { id: o.id, status, error: err.error };
      }),
    };
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

  /**
   * Restores the merged customers exactly. The survivor and each restored customer are kept apart
   * (no resolution or rematch merges them again) unless the body says `{"separate": false}`.
   */
  @Post(':id/undo')
  @HttpCode(200)
  async undo(@Param('id') id: string, @Body() body: { separate?: unknown } | undefined, @Actor() actor: string) {
    const separate = body?.separate;
    if (separate !== undefined && typeof separate !== 'boolean') throw badRequest('invalid_undo', 'separate must be true or false');
    return this.rt.customers.undoMerge(id, { actor, separate });
  }
}
