import { isPlainObject } from '@tributary/node-sdk';

/** The object at `value`, or an empty one: vendor payloads leave out what they do not know. */
export function obj(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/** An array at `value`, or an empty one. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A scalar as trimmed text; numbers (ids parsed losslessly) keep every digit; blanks give undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** ISO text with an offset (Shopify's `2026-03-02T17:58:00+08:00`) → a UTC ISO string; undefined when unreadable. */
export function isoTime(value: unknown): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
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
