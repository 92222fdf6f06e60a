import { oneEditApart } from '../util/one-edit.util.js';
import { isJunkPhone } from './junk-identity.util.js';
import { isNormalizedPhone, MASKED_PHONE, normalizePhone } from './phone.normalizer.js';
import { asText, toHalfWidth } from './text.normalizer.js';

/**
 * A phone as the fuzzy `phone` comparator reads it: the 11 digits of a mainland mobile, or,
 * for a masked one (138****5678, 138xxxx5678, +86 138 **** 5678, as ad platforms and shops
 * hand them out), the same 11 positions with `*` for each hidden digit. Other valid numbers
 * give their E.164 form; junk and anything unreadable gives undefined. A masked number never
 * identifies anyone on its own (it is not an identity), but with an agreeing name it says a
 * great deal: one mobile in 10,000 shares its visible ends.
 */
export function phoneMatchKey(raw: unknown): string | undefined {
  const text = asText(raw);
  if (text === undefined) return undefined;
  const s = toHalfWidth(text).trim();
  if (!s) return undefined;
  if (MASKED_PHONE.test(s)) {
    const compact = s
      .replace(/[xX]/g, '*')
      .replace(/[\s\-.()[\]]/g, '')
      .replace(/^(?:\+?86|0086)(?=1[3-9*])/, '');
    if (!/^1[3-9*][\d*]{9}$/.test(compact)) return undefined;
    // Fewer than seven visible digits (1**********) say nothing.
    return compact.replace(/\*/g, '').length >= 7 ? compact : undefined;
  }
  // The common case, a mainland mobile however it is spaced or prefixed, without a second parse.
  const mobile = s.replace(/[\s\-.()[\]]/g, '').replace(/^(?:\+86|0086|86)(?=1[3-9]\d{9}$)/, '');
  if (/^1[3-9]\d{9}$/.test(mobile)) {
    return isJunkPhone({ kind: 'mobile', e164: `+86${mobile}`, national: mobile, callingCode: '86', country: 'CN' }) ? undefined : mobile;
  }
  const phone = normalizePhone(s);
  if (!isNormalizedPhone(phone) || isJunkPhone(phone)) return undefined;
  return phone.callingCode === '86' && phone.kind === 'mobile' ? phone.national : phone.e164;
}

/**
 * Whether two phone match keys are a near miss of one number: a masked number whose visible
 * digits all agree with the other (139****5670 ~ 13912345670, or two equal masks), or two full
 * numbers one slip apart (one digit changed, or two adjacent digits swapped). Two equal full
 * numbers are not a near miss: the phone identity links those, within its limits and conflicts.
 */
export function isNearPhone(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const masked = a.includes('*') || b.includes('*');
  if (a === b) return masked;
  if (!masked) return oneEditApart(a, b);
  // Every visible digit agrees; a slip on top of a mask leaves too little to go on.
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && x !== '*' && y !== '*') return false;
  }
  return true;
}
