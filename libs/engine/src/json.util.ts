import { PayloadError } from './errors.js';

/**
 * A plain object: created by `{}`, `Object.create(null)`, JSON.parse or structuredClone, not
 * a class instance. Realm-independent (objects from another vm context count too).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Where `value` stops being JSON (a Date, a Buffer, a function, NaN, a cycle, nesting deeper
 * than MAX_JSON_DEPTH…), as a JSON pointer, or undefined when it round-trips through JSON unchanged. Object
 * properties that are undefined are allowed: JSON simply leaves them out.
 */
export function findNonJson(value: unknown, path = ''): { path: string; reason: string } | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, p: string, depth = 0): { path: string; reason: string } | undefined => {
    if (depth > MAX_JSON_DEPTH && v !== null && typeof v === 'object') return { path: p, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : { path: p, reason: `${v} is not a JSON number` };
      case 'object': {
        if (v === null) return undefined;
        if (seen.has(v)) return { path: p, reason: 'circular reference' };
        if (Array.isArray(v)) {
          seen.add(v);
          for (let i = 0; i < v.length; i++) {
            if (v[i] === undefined) return { path: `${p}/${i}`, reason: 'undefined in an array' };
            const bad = visit(v[i], `${p}/${i}`, depth + 1);
            if (bad) return bad;
          }
          seen.delete(v);
          return undefined;
        }
        if (!isPlainObject(v)) return { path: p, reason: `${(v as object).constructor?.name ?? 'object'} is not a plain JSON object` };
        seen.add(v);
        for (const [k, child] of Object.entries(v)) {
          if (child === undefined) continue;
          const bad = visit(child, `${p}/${pointerToken(k)}`, depth + 1);
          if (bad) return bad;
        }
        seen.delete(v);
        return undefined;
      }
      default:
        return { path: p, reason: `a ${typeof v} is not JSON` };
    }
  };
  return visit(value, path);
}

/** A key as a JSON pointer reference token (RFC 6901: `~` as `~0`, `/` as `~1`). */
function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * How deep a payload may nest (objects in arrays in objects…) wherever it is stored or handed
 * between steps: far deeper than any real payload, and well inside what JSON.stringify and
 * the recursive code after it manage (Node's JSON.stringify overflows at a few thousand).
 */
export const MAX_JSON_DEPTH = 256;

/**
 * The JSON pointer of the first object or array nested deeper than `max` levels in `value`
 * (the value itself is level 0), or undefined. Iterative, so any depth is safe to look at;
 * only arrays and plain objects are descended into.
 */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, p, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return p;
    if (Array.isArray(v)) v.forEach((child, i) => stack.push([child, `${p}/${i}`, d + 1]));
    // Plain objects only: a Buffer or a Date is a leaf (a raw body is not walked byte by byte).
    else if (isPlainObject(v)) for (const [k, child] of Object.entries(v)) stack.push([child, `${p}/${pointerToken(k)}`, d + 1]);
  }
  return undefined;
}

/**
 * Text Postgres can store: without NUL (U+0000, which neither text nor jsonb can hold) and
 * with every lone UTF-16 surrogate (half of a character, cut by a sender) as U+FFFD, the
 * replacement character, so the text is valid UTF-8. Neither carries meaning.
 */
export function storableText(s: string): string {
  const clean = s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
  return LONE_SURROGATE.test(clean) ? clean.replace(LONE_SURROGATE_G, '\uFFFD') : clean;
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_G = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * A copy of a JSON value whose strings and keys are all storableText, or the value itself
 * when nothing needed it. Throws PayloadError when it nests deeper than MAX_JSON_DEPTH.
 */
export function storableValue<T>(value: T): T {
  const deep = tooDeep(value);
  if (deep !== undefined) throw new PayloadError(`the data nests deeper than ${MAX_JSON_DEPTH} levels (at ${deep.length > 60 ? `${deep.slice(0, 60)}…` : deep})`, { path: deep });
  return withStorableText(value);
}

/**
 * storableValue for a value whose depth the caller has already bounded (findNonJson,
 * tooDeep): the cleaning walk alone, which recurses.
 */
export function withStorableText<T>(value: T): T {
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return storableText(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      v.forEach((child, i) => {
        const c = clean(child);
        if (c !== child) (out ??= v.slice())[i] = c;
      });
      return out ?? v;
    }
    if (!isPlainObject(v)) return v;
    let out: Record<string, unknown> | undefined;
    for (const [k, child] of Object.entries(v)) {
      const ck = storableText(k);
      const c = clean(child);
      if (c === child && ck === k) continue;
      if (!out) out = { ...v };
      if (ck !== k) delete out[k];
      out[ck] = c;
    }
    return out ?? v;
  };
  return clean(value) as T;
}

// A \u escape of NUL or of any surrogate, preceded by an even number of backslashes (so it is
// an escape, not an escaped backslash followed by "u0000"). JSON.stringify writes a paired
// surrogate as the character itself, so every surrogate escape in its output is a lone one.
const BAD_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/**
 * JSON text of `value` that Postgres stores as jsonb: as JSON.stringify writes it, with NUL
 * escapes left out and lone surrogates as U+FFFD (see storableText). Throws PayloadError when
 * the value nests too deeply to be written at all.
 */
export function storableJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    if (err instanceof RangeError) throw new PayloadError(`the data nests too deeply to be stored (at most ${MAX_JSON_DEPTH} levels)`);
    throw err;
  }
  if (text === undefined) return 'null';
  return text.includes('\\u') ? text.replace(BAD_ESCAPE, (_m, backslashes: string, code: string) => backslashes + (code === '0000' ? '' : '\\ufffd')) : text;
}
