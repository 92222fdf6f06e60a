import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { badRequest, notFound, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

/** Owners: the people customer.assign gives customers to. Bodies are validated by the store (400 per bad field). */
@ApiTags('owners')
@Controller('api/owners')
export class OwnersController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Post()
  async create(@Body() body: unknown) {
    return this.rt.customers.owners.createOwner(body ?? {});
  }

  @Get()
  async list(@Query('q') q?: string, @Query('active') active?: string, @Query('teamId') teamId?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.rt.customers.owners.listOwners({ q, active: booleanParam('active', active), teamId, limit: limitParam(limit), cursor });
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const owner = await this.rt.customers.owners.getOwner(id);
    if (!owner) throw notFound('owner', id);
    return owner;
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    return this.rt.customers.owners.updateOwner(id, body ?? {});
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string) {
    await this.rt.customers.owners.deleteOwner(id);
    return { id, deleted: true };
  }
}

export function booleanParam(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest('invalid_query', `${name} must be true or false`);
}

/** The store checks the range; a value that is not a number is rejected there too. */
export function limitParam(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}
