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
 * Where `value` stops being JSON (a Date, a Buffer, a function, NaN, a cycle…), as a
 * JSON pointer, or undefined when it round-trips through JSON unchanged. Object
 * properties that are undefined are allowed: JSON simply leaves them out.
 */
export function findNonJson(value: unknown, path = ''): { path: string; reason: string } | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, p: string): { path: string; reason: string } | undefined => {
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
            const bad = visit(v[i], `${p}/${i}`);
            if (bad) return bad;
          }
          seen.delete(v);
          return undefined;
        }
        if (!isPlainObject(v)) return { path: p, reason: `${(v as object).constructor?.name ?? 'object'} is not a plain JSON object` };
        seen.add(v);
        for (const [k, child] of Object.entries(v)) {
          if (child === undefined) continue;
          const bad = visit(child, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
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
