import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';
import { CurrentPrincipal, type Principal } from '../common/principal.js';

/** Users and their roles; the guard lets only admins (role or token) in. */
@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Post()
  async create(@Body() body: Record<string, unknown> | undefined) {
    return this.rt.users.create(body ?? {});
  }

  @Get()
  async list() {
    return { items: await this.rt.users.list() };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return this.rt.users.get(id);
  }

  /** `{displayName?, role?, disabled?, password?}`; a new password or disabling ends the user's sessions. */
  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: Record<string, unknown> | undefined, @CurrentPrincipal() p: Principal) {
    return this.rt.users.update(id, body ?? {}, p.user?.id);
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    await this.rt.users.remove(id, p.user?.id);
    return { id, deleted: true };
  }
}
