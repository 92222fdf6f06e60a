import { isNormalizedEmail, normalizeEmail } from './email.normalizer.js';
import { oneEditApart } from '../util/one-edit.util.js';
import { isJunkEmail } from './junk-identity.util.js';

// Local parts shorter than this are too often one slip from someone else's (li@, lu@, 1234@).
const MIN_NEAR_LOCAL = 6;

/**
 * The form of an e-mail the fuzzy `email_near` comparator reads: its match key (aliases and a
 * mistyped provider domain folded), or undefined for anything that is not an address or is junk.
 */
export function emailNearKey(raw: unknown): string | undefined {
  const e = normalizeEmail(raw);
  if (!isNormalizedEmail(e) || isJunkEmail(e.email)) return undefined;
  return e.matchKey;
}

/**
 * Whether two e-mail match keys are a near miss of one mailbox: the same domain and local parts
 * one slip apart (a letter dropped, added or changed, two neighbours swapped: zhangwei88 and
 * zhangwe88), the longer at least six characters. Equal keys are not a near miss: the e-mail
 * identity links those, within its limits and conflicts.
 */
export function isNearEmail(a: string, b: string): boolean {
  if (a === b) return false;
  const ia = a.lastIndexOf('@');
  const ib = b.lastIndexOf('@');
  if (ia <= 0 || ib <= 0 || a.slice(ia) !== b.slice(ib)) return false;
  const la = a.slice(0, ia);
  const lb = b.slice(0, ib);
  return Math.max(la.length, lb.length) >= MIN_NEAR_LOCAL && oneEditApart(la, lb);
}
