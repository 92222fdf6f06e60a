import { header, PayloadError, type WebhookRequest, parseJsonLossless } from '@tributary/node-sdk';

/**
 * A form tool's body: JSON (object or array, big integers kept exact) or
 * `application/x-www-form-urlencoded` (repeated keys become arrays). Empty → `{}`.
 */
export function decodeFormBody(req: Pick<WebhookRequest, 'headers' | 'rawBody'>): Record<string, unknown> | unknown[] {
  const contentType = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let text = req.rawBody.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return {};
  if (contentType === 'application/x-www-form-urlencoded') return decodeUrlEncoded(text);
  if (contentType === '' || contentType === 'application/json' || contentType === 'text/json' || contentType.endsWith('+json')) {
    const value = parseJsonLossless(text);
    if (value === null || typeof value !== 'object') throw new PayloadError('JSON body must be an object or an array');
    return value as Record<string, unknown> | unknown[];
  }
  throw new PayloadError(`unsupported content-type "${contentType}": send application/json or application/x-www-form-urlencoded`, { contentType });
}

function decodeUrlEncoded(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
