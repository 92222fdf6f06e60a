import { isPlainObject } from '@tributary/node-sdk';

/** The object at `value`, or an empty one: vendor payloads leave out what they do not know. */
export function obj(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/**
 * A scalar as trimmed text; numbers (ids parsed losslessly) keep every digit. Blank text,
 * objects and the text Zendesk renders for an empty placeholder give undefined.
 */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** ISO text, `2013-12-12T05:35Z`, or epoch seconds/milliseconds → a UTC ISO string; undefined when unreadable. */
export function isoTime(value: unknown): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  let ms: number;
  if (/^\d{10,13}$/.test(t)) ms = t.length <= 10 ? Number(t) * 1000 : Number(t);
  else ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Drops undefined fields so items stay plain JSON. */
export function compact<T extends Record<string, unknown>>(item: T): T {
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item;
}

/** `First Last` from name parts, skipping blanks. */
export function fullName(...parts: unknown[]): string | undefined {
  const joined = parts.map(text).filter((p): p is string => p !== undefined).join(' ');
  return joined === '' ? undefined : joined;
}
