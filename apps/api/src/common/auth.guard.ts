import { timingSafeEqual, createHash } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, ROLE_PERMISSIONS, type UserService } from '@tributary/runtime';
import { adminTokenPrincipal, type Principal } from './principal.js';
import { permissionFor, SIGNED_IN } from './route-permissions.js';

const PUBLIC = [/^\/api\/health(\?|$)/, /^\/api\/docs/, /^\/api\/auth\/(login|methods)(\?|$)/];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Server-Sent Events routes: the browser's EventSource cannot send headers, so these alone take `?token=`. */
const QUERY_TOKEN = [/^\/api\/runs\/[^/?]+\/events(\?|$)/, /^\/api\/runs\/stream(\?|$)/];

/**
 * `/api/*` needs `Authorization: Bearer <token>`: the admin token (everything) or a session token
 * from `POST /api/auth/login`, whose user's role must hold the route's permission
 * (route-permissions.ts). Health, the OpenAPI document and sign-in itself (login, methods) are public.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    token: string,
    private readonly users: UserService,
  ) {
    this.expected = digest(token);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const url = req.url;
    if (!url.startsWith('/api/') || PUBLIC.some((p) => p.test(url))) return true;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    let presented = m?.[1]?.trim();
    if (presented === undefined && QUERY_TOKEN.some((p) => p.test(url))) {
      const q = (req.query as Record<string, unknown> | undefined)?.token;
      if (typeof q === 'string' && q) presented = q;
    }
    if (presented === undefined) throw new AppError(401, 'unauthorized', 'missing Authorization: Bearer <token>');
    // Compare digests so the comparison is constant-time whatever the lengths.
    if (timingSafeEqual(digest(presented), this.expected)) {
      req.principal = adminTokenPrincipal(presented);
      return true;
    }
    const session = await this.users.authenticate(presented);
    if (!session) throw new AppError(401, 'unauthorized', 'the token is not valid (unknown, expired or signed out)');
    const principal: Principal = {
      kind: 'user',
      role: session.user.role,
      permissions: ROLE_PERMISSIONS[session.user.role],
      user: session.user,
      expiresAt: session.expiresAt,
      token: presented,
    };
    req.principal = principal;
    if (principal.role === 'admin') return true;
    const needed = permissionFor(req.method, url);
    if (needed === SIGNED_IN || (needed && principal.permissions.includes(needed))) return true;
    const route = `${req.method} ${url.split('?')[0]}`;
    throw new AppError(
      403,
      'forbidden',
      needed ? `role ${principal.role} does not have the permission ${needed} (${route})` : `only an admin may use ${route}`,
      { role: principal.role, permission: needed ?? 'admin' },
    );
  }
}
