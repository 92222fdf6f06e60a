import { createHash } from 'node:crypto';
import { safeEqual } from '@tributary/node-sdk';

/**
 * Keruyun's `sign`: hex SHA-256 of the public parameters except `sign`, sorted by name and
 * concatenated as name+value, followed by the partner token. Rule v2 (`version` 2.x) puts
 * `body` + the raw body between the parameters and the token; v1 does not cover the body.
 */
export function keruyunSign(params: Record<string, string | undefined>, token: string, rawBody?: Buffer | string): string {
  const names = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined)
    .sort();
  const parts: Buffer[] = [Buffer.from(names.map((k) => `${k}${params[k]}`).join(''), 'utf8')];
  if (rawBody !== undefined) parts.push(Buffer.from('body', 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8'));
  parts.push(Buffer.from(token, 'utf8'));
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}

/** True when the parameters carry the v2 rule (`version` 2.x), which also signs the body. */
export const keruyunSignsBody = (params: Record<string, string | undefined>): boolean => /^2(\.|$)/.test(params.version?.trim() ?? '');

/** Constant-time check of the `sign` query parameter, by the rule the `version` parameter names. */
export function verifyKeruyunSign(params: Record<string, string | undefined>, token: string, rawBody: Buffer | string): boolean {
  const given = params.sign?.trim().toLowerCase();
  if (!given) return false;
  return safeEqual(given, keruyunSign(params, token, keruyunSignsBody(params) ? rawBody : undefined));
}
