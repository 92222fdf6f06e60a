import { isPlainObject } from '@tributary/node-sdk';

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');

/** A value at a dot path (`a.b.0.c`). */
export function readPath(value: unknown, path: string): unknown {
  let v = value;
  for (const seg of path.split('.')) v = isPlainObject(v) ? v[seg] : Array.isArray(v) && /^\d+$/.test(seg) ? v[Number(seg)] : undefined;
  return v;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * The first non-empty value among `names` (ignoring case, `_` and `-`), looked up level by
 * level through nested objects (arrays are not entered), shallowest first.
 */
export function findField(root: unknown, names: readonly string[], maxDepth = 3): unknown {
  const wanted = names.map(squash);
  let level: Record<string, unknown>[] = isPlainObject(root) ? [root] : [];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    for (const w of wanted) {
      for (const obj of level) {
        const key = Object.keys(obj).find((k) => squash(k) === w);
        if (key !== undefined && present(obj[key]) && !isPlainObject(obj[key]) && !Array.isArray(obj[key])) return obj[key];
      }
    }
    level = level.flatMap((o) => Object.values(o).filter(isPlainObject));
  }
  return undefined;
}

/** The first array of objects among `names`, looked up the same way. */
export function findList(root: unknown, names: readonly string[], maxDepth = 3): Record<string, unknown>[] | undefined {
  const wanted = names.map(squash);
  let level: Record<string, unknown>[] = isPlainObject(root) ? [root] : [];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    for (const w of wanted) {
      for (const obj of level) {
        const key = Object.keys(obj).find((k) => squash(k) === w);
        const v = key === undefined ? undefined : obj[key];
        if (Array.isArray(v) && v.some(isPlainObject)) return v.filter(isPlainObject);
      }
    }
    level = level.flatMap((o) => Object.values(o).filter(isPlainObject));
  }
  return undefined;
}

/** An id as exact text: strings trimmed, safe integers written out; anything else undefined. */
export function idText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

// Plain text of a scalar, and items without undefined fields: the SDK's, as every connector uses them.
export { compact, text } from '@tributary/node-sdk';
