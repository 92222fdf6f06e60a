import { CustomerStoreError } from '../customer-store.errors.js';
import { isUuid } from './uuid-v7.util.js';

/**
 * Keyset-pagination cursors: opaque to clients, base64url of [timestamp in µs, id]. The
 * microseconds are kept as a decimal string because a JS Date would drop them, and rows
 * written in one batch share a timestamp down to the millisecond.
 */
export function encodeCursor(us: string, id: string): string {
  return Buffer.from(JSON.stringify([us, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && /^\d{1,20}$/.test(v[0]) && isUuid(v[1])) return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new CustomerStoreError('invalid_cursor', 'cursor is not one this API returned');
}
