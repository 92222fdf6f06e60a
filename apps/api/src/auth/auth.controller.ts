import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, badRequest, type Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';
import { CurrentPrincipal, type Principal } from '../common/principal.js';

/** Sign-in with a username and password, sign-out, and who the caller is. */
@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  /** Public (the guard lets it through): `{username, password}` → `{token, expiresAt, user}`. */
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: { username?: unknown; password?: unknown } | undefined, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.rt.users.login(body?.username, body?.password, req.ip);
    } catch (err) {
      if (err instanceof AppError && err.status === 429) {
        void reply.header('retry-after', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      throw err;
    }
  }

  /** Public: how one can sign in here. `password` is false until a user exists (a fresh install has only the admin token). */
  @Get('auth/methods')
  async methods() {
    return { password: await this.rt.users.anyEnabled(), token: true };
  }

  /** Ends the session whose token made this request; the admin token cannot be signed out. */
  @Post('auth/logout')
  @HttpCode(200)
  async logout(@CurrentPrincipal() p: Principal) {
    return { signedOut: p.kind === 'user' ? await this.rt.users.logout(p.token) : false };
  }

  @Get('me')
  me(@CurrentPrincipal() p: Principal) {
    return {
      principal: p.kind,
      user: p.user ?? null,
      role: p.role,
      permissions: p.permissions,
      expiresAt: p.expiresAt ?? null,
    };
  }

  /** `{currentPassword, newPassword}`: the user's other sessions end, this one stays. */
  @Post('me/password')
  @HttpCode(200)
  async changePassword(@CurrentPrincipal() p: Principal, @Body() body: { currentPassword?: unknown; newPassword?: unknown } | undefined) {
    if (p.kind !== 'user' || !p.user) throw badRequest('no_password', 'the admin token has no password: set TRIBUTARY_ADMIN_TOKEN to change it');
    await this.rt.users.changePassword(p.user.id, body?.currentPassword, body?.newPassword, p.token);
    return { changed: true };
  }
}
