import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest, type ImportView } from '@tributary/runtime';
import { ImportHost } from './import.host.js';
import { IMPORT_CONTENT_TYPES } from './import-body.parser.js';

const isStream = (b: unknown): b is NodeJS.ReadableStream => !!b && typeof (b as NodeJS.ReadableStream).pipe === 'function' && typeof (b as NodeJS.ReadableStream).on === 'function';

@ApiTags('imports')
@Controller('api')
export class ImportsController {
  constructor(private readonly host: ImportHost) {}

  @Post('flows/:id/imports')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Import a CSV or .xlsx file through the flow’s files.import trigger: one run per row',
    description:
      'The body is the file itself (not multipart), e.g. `curl --data-binary @customers.csv -H "content-type: text/csv"`. It is streamed to disk and the answer (202, the import with its id) comes once it is stored; rows are then read in the background. Follow progress with GET /api/imports/{id}.',
  })
  @ApiConsumes(...IMPORT_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'filename', required: false, description: 'The file’s name (its extension helps tell CSV from xlsx; shown in progress and run items).' })
  @ApiQuery({ name: 'node', required: false, description: 'The files.import node, when the flow has several.' })
  async start(@Param('id') flowId: string, @Req() req: FastifyRequest, @Query('filename') filename?: string, @Query('node') nodeId?: string): Promise<ImportView> {
    const body = req.body;
    if (body === undefined || body === null) throw badRequest('empty_file', 'the request body is empty: send the file’s bytes as the body');
    if (!isStream(body)) {
      throw new AppError(415, 'unsupported_media_type', `send the file’s bytes as the body with one of the content types ${IMPORT_CONTENT_TYPES.join(', ')} (got ${req.headers['content-type'] ?? 'none'})`, {
        accepted: IMPORT_CONTENT_TYPES,
      });
    }
    try {
      return await this.host.service.start({ flowId, nodeId: nodeId || undefined, filename, body: body as unknown as AsyncIterable<Buffer> });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') throw badRequest('upload_incomplete', 'the upload ended before the whole file was received');
      throw err;
    }
  }

  @Get('imports')
  @ApiOperation({ summary: 'Imports, newest first' })
  async list(@Query('flowId') flowId?: string, @Query('status') status?: string, @Query('limit') limit?: string) {
    return this.host.service.list({ flowId, status, limit: limit ? Number(limit) || 50 : undefined });
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'An import’s progress: rows read, accepted, duplicate, failed (with line numbers), bytes, ETA' })
  @ApiQuery({ name: 'errorsFrom', required: false, description: 'Leave out the first N row errors (those already shown).' })
  async get(@Param('id') id: string, @Query('errorsFrom') errorsFrom?: string): Promise<ImportView> {
    return this.host.service.get(id, { errorsFrom: errorsFrom ? Math.max(0, Number(errorsFrom) || 0) : undefined });
  }

  @Post('imports/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a running import; runs of rows already accepted are kept' })
  async cancel(@Param('id') id: string): Promise<ImportView> {
    return this.host.service.cancel(id);
  }
}
