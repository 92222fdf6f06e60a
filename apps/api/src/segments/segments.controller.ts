import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CustomerStoreError, SegmentService, type SegmentInput } from '@tributary/customer-store';
import { badRequest, notFound, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

const segmentBodySchema = {
  type: 'object',
  required: ['name', 'definition'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
    name: { type: 'string' },
    description: { type: 'string' },
    enabled: { type: 'boolean', default: true },
    definition: { type: 'object', description: 'See docs/segments.md: all / any / not over {field, op, value} and {event: {types, withinDays, minCount}}.' },
  },
};

/**
 * Saved dynamic segments. A segment is evaluated over all customers when it is created or
 * changed (the answer carries its member count); workers keep it up to date afterwards.
 */
@ApiTags('segments')
@Controller('api/segments')
export class SegmentsController {
  private readonly segments: SegmentService;

  constructor(@Inject(RUNTIME) rt: Runtime) {
    this.segments = new SegmentService(rt.ds);
  }

  @Post()
  @ApiOperation({ summary: 'Create a segment; its members are computed before the answer' })
  @ApiBody({ schema: segmentBodySchema })
  async create(@Body() body: SegmentInput | undefined) {
    return withSegmentErrors(() => this.segments.create(body as SegmentInput));
  }

  @Get()
  @ApiOperation({ summary: 'All segments with their member counts' })
  async list() {
    return { items: await this.segments.list() };
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Count the customers a definition matches now, without saving it ({"definition": {...}})' })
  @ApiBody({ schema: { type: 'object', required: ['definition'], properties: { definition: segmentBodySchema.properties.definition } } })
  async preview(@Body() body: { definition?: unknown } | undefined) {
    if (!body || typeof body !== 'object' || body.definition === undefined) throw badRequest('segment_invalid', 'the body must be {"definition": {...}}', [{ path: '/definition', message: 'is required' }]);
    return withSegmentErrors(() => this.segments.preview(body.definition), '/definition');
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const seg = await this.segments.get(id);
    if (!seg) throw notFound('segment', id);
    return seg;
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a segment (name, description, definition, enabled) and evaluate it again' })
  @ApiBody({ schema: segmentBodySchema })
  async update(@Param('id') id: string, @Body() body: SegmentInput | undefined) {
    return withSegmentErrors(() => this.segments.update(id, body as SegmentInput));
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string) {
    if (!(await this.segments.remove(id))) throw notFound('segment', id);
    return { id, deleted: true };
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members, keyset-paged: pass nextCursor back as cursor' })
  async members(@Param('id') id: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return withSegmentErrors(() => this.segments.members(id, { cursor: cursor || undefined, limit: limit ? Number(limit) || undefined : undefined }));
  }
}

/** An invalid segment is a 400 `segment_invalid` whose details name each bad path of the body. */
async function withSegmentErrors<T>(fn: () => Promise<T>, prefix = ''): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CustomerStoreError && err.code === 'invalid_input') {
      const details = Array.isArray(err.details) ? (err.details as { path: string; message: string }[]).map((d) => ({ path: `${prefix}${d.path}`, message: d.message })) : err.details;
      const first = Array.isArray(details) ? (details[0] as { path: string; message: string } | undefined) : undefined;
      throw badRequest('segment_invalid', first && prefix ? `segment definition is invalid: ${first.path} ${first.message}` : err.message, details);
    }
    throw err;
  }
}
