import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { notFound, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';
import { limitParam } from '../owners/owners.controller.js';

/** Teams: ordered members (round-robin goes in this order) and a lead (escalations). */
@ApiTags('owners')
@Controller('api/teams')
export class TeamsController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Post()
  async create(@Body() body: unknown) {
    return this.rt.customers.owners.createTeam(body ?? {});
  }

  @Get()
  async list(@Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.rt.customers.owners.listTeams({ limit: limitParam(limit), cursor });
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const team = await this.rt.customers.owners.getTeam(id);
    if (!team) throw notFound('team', id);
    return team;
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    return this.rt.customers.owners.updateTeam(id, body ?? {});
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string) {
    await this.rt.customers.owners.deleteTeam(id);
    return { id, deleted: true };
  }
}
