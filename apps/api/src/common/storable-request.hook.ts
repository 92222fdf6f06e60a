import type { FastifyInstance } from 'fastify';
import { isPlainObject, MAX_JSON_DEPTH, storableText, tooDeep, withStorableText } from '@tributary/engine';
import { toErrorBody } from './error-body.js';
import { AppError } from '@tributary/runtime';

/**
 * Every `/api/` request as text Postgres can hold, before a handler sees it: a JSON body's and the
 * query's strings and keys without NUL (U+0000) and with half a surrogate pair as U+FFFD, both
 * legal in JSON and in URLs and neither storable (a flow named "a\u0000b" answered 500); and a
 * body nested deeper than MAX_JSON_DEPTH refused with 400. Webhooks (`/hooks/`) take their body
 * as raw bytes for the signature and are cleaned where their runs are stored.
 */
export function registerStorableRequests(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const body = req.body;
    if (body !== null && typeof body === 'object' && (Array.isArray(body) || isPlainObject(body))) {
      if (tooDeep(body) !== undefined) {
        const { status, body: answer } = toErrorBody(new AppError(400, 'malformed_body', `the body nests deeper than ${MAX_JSON_DEPTH} levels`));
        return reply.code(status).send(answer);
      }
      req.body = withStorableText(body);
    }
    const query = req.query as Record<string, unknown> | null;
    if (query && typeof query === 'object') {
      for (const key of Object.keys(query)) {
        const value = query[key];
        const clean = typeof value === 'string' ? storableText(value) : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? storableText(v) : v)) : value;
        const cleanKey = storableText(key);
        if (cleanKey !== key) delete query[key];
        query[cleanKey] = clean;
      }
    }
    return undefined;
  });
}
