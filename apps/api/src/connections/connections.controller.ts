import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

@ApiTags('connections')
@Controller('api/connections')
export class ConnectionsController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Post()
  async create(@Body() body: { type?: unknown; name?: unknown; secrets?: unknown } | undefined) {
    return this.rt.connections.create(body ?? {});
  }

  @Get()
  async list() {
    return { items: await this.rt.connections.list() };
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string) {
    await this.rt.connections.remove(id);
    return { id, deleted: true };
  }

  @Post(':id/check')
  @HttpCode(200)
  async check(@Param('id') id: string) {
    return this.rt.connections.check(id);
  }
}
