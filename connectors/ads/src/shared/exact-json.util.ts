import { randomBytes } from 'node:crypto';
import { quoteUnsafeIntegers } from '@tributary/node-sdk';

const INT_TOKEN = /^-?\d+$/;

/**
 * JSON.parse that keeps every integer too large for a double exact, as a string (the SDK's
 * scanner). Vendor ids (Meta leadgen_id, Tencent leads_id, Ocean Engine clue ids) pass 2^53.
 * Throws SyntaxError like JSON.parse: callers decide whether that is a bad body or a vendor fault.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** A JSON number written digit for digit, for int64 ids a vendor wants as numbers. */
export class Int64 {
  constructor(readonly digits: string) {
    if (!INT_TOKEN.test(digits)) throw new TypeError(`not an integer: ${digits}`);
  }
}

/** JSON.stringify where Int64 values come out as bare number literals, exact to the last digit. */
export function stringifyWithInt64(value: unknown): string {
  const tag = `int64:${randomBytes(6).toString('hex')}:`;
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Int64 ? `${tag}${v.digits}` : v));
  return text.replace(new RegExp(`"${tag}(-?\\d+)"`, 'g'), '$1');
}
