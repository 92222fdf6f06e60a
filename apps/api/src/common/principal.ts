import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, ROLE_PERMISSIONS, type Permission, type User, type UserRole } from '@tributary/runtime';

/** Who a request acts as: the admin token (full access) or a signed-in user with a role. */
export interface Principal {
  kind: 'admin-token' | 'user';
  role: UserRole;
  permissions: readonly Permission[];
  /** The signed-in user; absent for the admin token. */
  user?: User;
  /** The session's end; absent for the admin token. */
  expiresAt?: string;
  /** The bearer token presented (to sign this session out). */
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const adminTokenPrincipal = (token: string): Principal => ({ kind: 'admin-token', role: 'admin', permissions: ROLE_PERMISSIONS.admin, token });

/** The actor recorded in audit entries, merges and task notes: `admin` for the admin token (as before users existed), `user:<id>` for a user. */
export const actorOf = (p: Principal | undefined): string => (p?.kind === 'user' && p.user ? `user:${p.user.id}` : 'admin');

export function principalOf(ctx: ExecutionContext): Principal {
  const p = ctx.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!p) throw new AppError(401, 'unauthorized', 'not signed in');
  return p;
}

/** `@Actor() actor: string` in a controller method. */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext) => actorOf(ctx.switchToHttp().getRequest<FastifyRequest>().principal));

/** `@CurrentPrincipal() p: Principal`. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => principalOf(ctx));
