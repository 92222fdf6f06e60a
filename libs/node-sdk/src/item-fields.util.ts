import { isPlainObject } from '@tributary/engine';

// Reading vendor payloads into items: vendors leave out what they do not know, send ids as numbers
// or text, and pad values with blanks. These keep the mappers of every connector alike.

/** The object at `value`, or an empty one. */
export function obj(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/** The array at `value`, or an empty one. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A number that reached us with every digit: finite and within 2^53 (past it, JSON has already rounded it). */
export function exactNumber(value: number): boolean {
  return Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

/**
 * A scalar as trimmed text; numbers keep every digit (and big integers parsed losslessly, as
 * bigint, too). Blank text, objects, booleans and null give undefined, and so does a whole
 * number past 2^53 that arrived as a number (`1e21`, `9007199254740993.0`): its digits are lost.
 */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number') return exactNumber(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** Drops undefined fields (in place) so items stay plain JSON. */
export function compact<T extends Record<string, unknown>>(item: T): T {
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item;
}

/** `First Last` from name parts, skipping blanks. */
export function fullName(...parts: unknown[]): string | undefined {
  const joined = parts.map(text).filter((p): p is string => p !== undefined).join(' ');
  return joined === '' ? undefined : joined;
}
