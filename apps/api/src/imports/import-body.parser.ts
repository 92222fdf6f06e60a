import type { FastifyInstance } from 'fastify';
import { AppError } from '@tributary/runtime';

/** The one route whose body is a file, streamed to disk instead of parsed. */
export const IMPORT_ROUTE = '/api/flows/:id/imports';

/** Content types of an import upload (CSV as browsers, curl and Excel name it; xlsx; raw bytes). */
export const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'application/csv',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

/**
 * Registers the import content types with Fastify so that the import route receives the
 * request stream itself as its body: a 200 MB upload goes to disk chunk by chunk, with no
 * body limit but the import's own (TRIBUTARY_IMPORT_MAX_BYTES). Any other route refuses them.
 */
export function registerImportBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser(IMPORT_CONTENT_TYPES, (req, payload, done) => {
    if (req.routeOptions.url === IMPORT_ROUTE && req.method === 'POST') {
      done(null, payload);
      return;
    }
    payload.resume(); // drained, never buffered
    done(new AppError(415, 'unsupported_media_type', `${req.headers['content-type']} bodies are only accepted by POST ${IMPORT_ROUTE}`));
  });
}
