import { PayloadError } from '@tributary/engine';

// Integers past 2^53 (vendor ids: order ids, member ids, message ids) lose digits in
// JSON.parse. This quotes them first so they arrive as exact strings; safe integers,
// decimals and everything inside strings are left alone.
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, escapes included.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i++;
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      const token = text.slice(start, i);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copied, start)}"${token}"`;
        copied = i;
      }
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** JSON.parse that keeps big integers exact (as strings); malformed JSON is a PayloadError (400). */
export function parseJsonLossless(text: string, what = 'body'): unknown {
  try {
    return JSON.parse(quoteUnsafeIntegers(text));
  } catch (err) {
    throw new PayloadError(`malformed JSON ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * A vendor time as a UTC ISO string: ISO 8601 text, epoch seconds or milliseconds (number
 * or digits), or a zone-less `YYYY-MM-DD HH:mm[:ss]` read at `utcOffset` (Chinese vendors
 * send Beijing time). Undefined when absent or unreadable.
 */
export function toIsoTime(value: unknown, utcOffset = '+08:00'): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value !== 'string') return undefined;
  else {
    const v = value.trim();
    if (/^\d{9,13}$/.test(v)) ms = Number(v) < 1e12 ? Number(v) * 1000 : Number(v);
    else {
      const local = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/.exec(v);
      if (local) {
        const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = local;
        const pad = (x: string) => x.padStart(2, '0');
        ms = Date.parse(`${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${mi}:${pad(s)}${frac}${utcOffset}`);
      } else ms = Date.parse(v);
    }
  }
  // A number past a Date's range (±8.64e15 ms; 1e21 where a time was) is no time either, not a RangeError.
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** toIsoTime for vendors whose times are UTC (Zendesk, Freshdesk, Zoho, Shopify): a time without an offset is read as UTC. */
export const utcIsoTime = (value: unknown): string | undefined => toIsoTime(value, '+00:00');

/**
 * A webhook body that must be a JSON object or array, parsed losslessly (BOM tolerated);
 * empty, malformed or scalar bodies are a PayloadError (400) naming `what`.
 */
export function parseJsonBody(raw: Buffer | string, what: string): Record<string, unknown> | unknown[] {
  let text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new PayloadError(`${what}: empty body`);
  const value = parseJsonLossless(text, what);
  if (value === null || typeof value !== 'object') throw new PayloadError(`${what}: the body must be a JSON object or array`);
  return value as Record<string, unknown> | unknown[];
}
