import { timingSafeEqual, createHash } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@tributary/runtime';

const PUBLIC = [/^\/api\/health(\?|$)/, /^\/api\/docs/];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Server-Sent Events routes: the browser's EventSource cannot send headers, so these alone take `?token=`. */
const QUERY_TOKEN = [/^\/api\/runs\/[^/?]+\/events(\?|$)/, /^\/api\/runs\/stream(\?|$)/];

/** `/api/*` needs `Authorization: Bearer <admin token>`; health and the OpenAPI document are public. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  canActivate(ctx: ExecutionContext): boolean {
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
    // Compare digests so the comparison is constant-time whatever the lengths.
    if (presented === undefined || !timingSafeEqual(digest(presented), this.expected)) {
      throw new AppError(401, 'unauthorized', presented !== undefined ? 'the token is not valid' : 'missing Authorization: Bearer <token>');
    }
    return true;
  }
}
