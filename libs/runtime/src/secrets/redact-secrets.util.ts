// Keeps decrypted connection secrets out of logs, run errors and step outputs: a node
// that echoes an API response or throws with a URL can carry a token along.

export const REDACTED = '[redacted]';

/** Shorter values are not redacted: replacing every "1" or "ab" would garble the text and hide nothing. */
export const MIN_REDACTED_LENGTH = 4;

export type SecretSource = Record<string, unknown> | readonly unknown[] | undefined | null;

function collect(source: unknown, out: Set<string>, seen: WeakSet<object>): void {
  if (typeof source === 'string') {
    if (source.length < MIN_REDACTED_LENGTH) return;
    out.add(source);
    // The same value as it appears inside JSON text and inside URLs.
    out.add(JSON.stringify(source).slice(1, -1));
    out.add(encodeURIComponent(source));
  } else if (typeof source === 'number' || typeof source === 'bigint') {
    collect(String(source), out, seen);
  } else if (source !== null && typeof source === 'object') {
    if (seen.has(source)) return;
    seen.add(source);
    for (const v of Array.isArray(source) ? source : Object.values(source)) collect(v, out, seen);
  }
}

/**
 * A function that returns a copy of any value (string, JSON, Error) with every secret
 * value of `secrets` replaced by `[redacted]`. Build it once per run and reuse it.
 */
export function createRedactor(secrets: SecretSource): <T>(value: T) => T {
  const needles = new Set<string>();
  collect(secrets, needles, new WeakSet());
  if (needles.size === 0) return (value) => value;
  // Longest first, so a secret that contains another is replaced whole.
  const pattern = new RegExp(
    [...needles].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'g',
  );
  const str = (s: string) => s.replace(pattern, REDACTED);

  const walk = (value: unknown, seen: WeakMap<object, unknown>): unknown => {
    if (typeof value === 'string') return str(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value);
    if (Buffer.isBuffer(value) || value instanceof Date || ArrayBuffer.isView(value)) return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const v of value) out.push(walk(v, seen));
      return out;
    }
    if (value instanceof Error) {
      const out = Object.create(Object.getPrototypeOf(value) as object) as Error;
      seen.set(value, out);
      for (const k of Object.getOwnPropertyNames(value)) {
        (out as unknown as Record<string, unknown>)[k] = walk((value as unknown as Record<string, unknown>)[k], seen);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) out[str(k)] = walk(v, seen);
    return out;
  };
  return <T>(value: T) => walk(value, new WeakMap()) as T;
}

/** One-off form of createRedactor. */
export function redactSecrets<T>(value: T, secrets: SecretSource): T {
  return createRedactor(secrets)(value);
}
