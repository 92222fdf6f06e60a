import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { badRequest, notFound, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';
import { Actor } from '../common/principal.js';

@ApiTags('customers')
@Controller('api/customers')
export class CustomersController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  async search(
    @Query('q') q?: string,
    @Query('phone') phone?: string,
    @Query('email') email?: string,
    @Query('identity') identity?: string,
    @Query('tag') tag?: string,
    @Query('segment') segment?: string,
    @Query('owner') owner?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.rt.customers.searchCustomers({ q, phone, email, identity, tag, segment, owner, limit: limit ? Number(limit) || undefined : undefined, cursor });
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const view = await this.rt.customers.getCustomer(id);
    if (!view) throw notFound('customer', id);
    return view;
  }

  /**
   * A person's edit of the profile: `{"attributes":{"company":"…","credit_code":"…"}}` (1–100 fields; text up
   * to 2,000 characters, numbers, booleans) → the 360° view. The values win now, with `manual` as their source
   * and the user as the actor; fields under the `manual` survivorship policy keep them against later flows.
   * An edited company or credit code relinks the account. Audited.
   */
  @Patch(':id')
  async edit(@Param('id') id: string, @Body() body: { attributes?: unknown } | undefined, @Actor() actor: string) {
    const attributes = body?.attributes;
    if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) throw badRequest('invalid_attributes', 'attributes must be an object of field → value');
    const entries = Object.entries(attributes as Record<string, unknown>);
    if (entries.length === 0 || entries.length > 100) throw badRequest('invalid_attributes', 'attributes must hold 1 to 100 fields');
    for (const [field, value] of entries) {
      if (!/^[\p{L}\p{N}_.-]{1,64}$/u.test(field)) throw badRequest('invalid_attributes', `field name ${JSON.stringify(field)} must be 1–64 letters, digits, _ . or -`);
      const ok = (typeof value === 'string' && value.length <= 2000) || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
      if (!ok) throw badRequest('invalid_attributes', `${field} must be text (up to 2,000 characters), a number or a boolean`);
    }
    const view = await this.rt.customers.updateAttributes(id, attributes as Record<string, unknown>, { actor });
    if (!view) throw notFound('customer', id);
    return view;
  }

  @Post(':id/merge')
  @HttpCode(200)
  async merge(@Param('id') id: string, @Body() body: { otherIds?: unknown; reason?: unknown } | undefined, @Actor() actor: string) {
    const otherIds = body?.otherIds;
    if (!Array.isArray(otherIds) || otherIds.length === 0 || otherIds.some((o) => typeof o !== 'string')) {
      throw badRequest('invalid_merge', 'otherIds must be a non-empty array of customer ids');
    }
    if (otherIds.includes(id)) throw badRequest('invalid_merge', 'a customer cannot be merged into itself');
    return this.rt.customers.mergeCustomers(id, otherIds as string[], { actor, reason: typeof body?.reason === 'string' ? body.reason : 'manual merge' });
  }

  @Delete(':id')
  @HttpCode(200)
  async erase(@Param('id') id: string, @Actor() actor: string) {
    const result = await this.rt.customers.eraseCustomer(id, actor);
    if (!result) throw notFound('customer', id);
    // The runs that wrote this person's data hold it in their logs too (the store found them under its locks).
    const { runIds, ...erased } = result;
    const runsScrubbed = await this.rt.runs.erasePayloads(runIds);
    return { ...erased, runsScrubbed };
  }
}
