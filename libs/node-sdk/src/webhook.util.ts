import { createHash, createHmac, timingSafeEqual, type BinaryToTextEncoding } from 'node:crypto';
import { PayloadError, type VerifyResult, type WebhookRequest } from '@tributary/engine';

/** A header value by case-insensitive name; repeated headers joined by the host arrive as one string. */
export function header(req: Pick<WebhookRequest, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const direct = req.headers[lower];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * Turns a webhook body into a payload: JSON (object or array), form-urlencoded (repeated
 * keys become arrays), an empty body → {}. Anything else is a PayloadError (400).
 */
export function defaultDecode(req: Pick<WebhookRequest, 'headers' | 'rawBody'>): unknown {
  const contentType = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let text = req.rawBody.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return {};
  if (contentType === 'application/x-www-form-urlencoded') return decodeForm(text);
  const isJsonType = contentType === 'application/json' || contentType.endsWith('+json') || contentType === 'text/json';
  // Senders that omit the content type almost always send JSON.
  if (isJsonType || contentType === '') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new PayloadError(contentType === '' ? `no content-type and the body is not JSON: ${why}` : `malformed JSON: ${why}`);
    }
    if (value === null || typeof value !== 'object') throw new PayloadError('JSON body must be an object or an array', { type: value === null ? 'null' : typeof value });
    return value;
  }
  throw new PayloadError(`unsupported content-type "${contentType}": send application/json or application/x-www-form-urlencoded`, { contentType });
}

function decodeForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Constant-time comparison that does not leak the length either: both sides are hashed
 * first, so timingSafeEqual always sees 32 bytes.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const ba = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const bb = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  const ha = createHash('sha256').update(ba).digest();
  const hb = createHash('sha256').update(bb).digest();
  return timingSafeEqual(ha, hb) && ba.length === bb.length;
}

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** HMAC of `data` with `key`, encoded as hex, base64 or base64url. */
export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, data: string | Buffer, encoding: BinaryToTextEncoding = 'hex'): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

/**
 * Replay window check for a signed timestamp (seconds since the epoch). A tolerance of 0
 * disables the check.
 */
export function checkTimestamp(tsSeconds: number | string | undefined, now: Date, toleranceSeconds: number): VerifyResult {
  if (toleranceSeconds === 0) return { ok: true };
  const ts = typeof tsSeconds === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(tsSeconds) ? Number(tsSeconds) : tsSeconds;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return { ok: false, reason: 'missing or invalid timestamp', status: 401 };
  const skew = Math.abs(now.getTime() / 1000 - ts);
  if (skew > toleranceSeconds) {
    return { ok: false, reason: `stale timestamp: ${Math.round(skew)} s away from now, tolerance ${toleranceSeconds} s`, status: 401 };
  }
  return { ok: true };
}
