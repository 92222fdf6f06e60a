import { asText, toHalfWidth } from './text.normalizer.js';

// GB 32100-2015: the 31 characters a Unified Social Credit Code is written with (no I, O, S, V, Z),
// in the order of their values, and the weights of the 17 characters before the check character.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeResult = { code: string } | { invalid: 'empty' | 'not_a_credit_code' | 'bad_check_character' };

/**
 * A 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): the strongest key of a
 * Chinese legal entity, 18 characters whose last is a check character over the other 17.
 * Half-width, upper-case, spaces and dashes removed; anything else, or a wrong check character
 * (a typo), is not a code and keys nothing.
 */
export function normalizeCreditCode(raw: unknown): CreditCodeResult {
  const text = asText(raw);
  if (text === undefined || !text.trim()) return { invalid: 'empty' };
  const code = toHalfWidth(text).toUpperCase().replace(/[\s\-_.]/g, '');
  if (code.length !== 18 || [...code].some((c) => !CHARSET.includes(c))) return { invalid: 'not_a_credit_code' };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(code[i]!) * WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return CHARSET[check] === code[17] ? { code } : { invalid: 'bad_check_character' };
}
