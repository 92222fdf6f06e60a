// core + the JS-wrapped "max" metadata: the max entry point imports a .json file, which
// native ESM loaders warn about, and only max metadata can tell mobiles from landlines.
import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max';
import { asText, toHalfWidth } from './text.normalizer.js';

export type PhoneKind = 'mobile' | 'landline' | 'tollfree' | 'other';

export interface NormalizedPhone {
  kind: PhoneKind;
  /** `+8613812345678`; the identity value (plus `;ext=` when there is an extension, see phoneIdentityValue). */
  e164: string;
  /** National significant number, no trunk prefix: `13812345678`, `1065529988`. */
  national: string;
  /** Country calling code without `+`: `86`. */
  callingCode: string;
  /** ISO country when the number tells it (`CN`); absent for non-geographic numbers. */
  country?: string;
  extension?: string;
}

export type PhoneInvalidReason = 'empty' | 'masked' | 'not_a_phone' | 'invalid_number';

export interface InvalidPhone {
  invalid: PhoneInvalidReason;
}

export type PhoneResult = NormalizedPhone | InvalidPhone;

export function isNormalizedPhone(r: PhoneResult): r is NormalizedPhone {
  return 'e164' in r;
}

// Ad platforms and POS receipts mask the middle or the tail: 138****1234, 138xxxx1234.
export const MASKED_PHONE = /[*]|\d[xX]{2,}|[xX]{2,}\d/;
// 转 / 分机 (Chinese for "extension"), ext, x and # all introduce an extension.
const EXTENSION = /\s*(?:转|轉|分机|分機|ext\.?|extension|x|#)\s*(\d{1,6})\s*$/i;
// Several numbers in one field: normalizePhone reads the first, splitPhoneList all of them.
const LIST_SEPARATOR = /[\/,;|、]|\s{3,}|\s*或\s*|\s+or\s+/i;

/**
 * The numbers a phone field lists ("13912345670 / 13812345670", "手机：139…，座机：010-…",
 * "139… 或 138…"): each part in order, when at least two of them read as phone numbers of their
 * own; otherwise the field as it is, for normalizePhone (which reads its first number, and keeps
 * "0755-86013388/8001" one number with an extension: 8001 is no number of its own).
 */
export function splitPhoneList(raw: unknown, defaultCountry: CountryCode = 'CN'): unknown[] {
  const text = asText(raw);
  if (text === undefined) return [raw];
  const parts = toHalfWidth(text)
    .split(LIST_SEPARATOR)
    .map((p) => p.trim())
    .filter((p) => /\d/.test(p));
  if (parts.length < 2) return [raw];
  // A masked number counts as a number here (it is one, only unreadable): "139… / 138****5670" is two.
  const numbers = parts.filter((p) => {
    const r = normalizePhone(p, defaultCountry);
    return isNormalizedPhone(r) || r.invalid === 'masked';
  });
  return numbers.length >= 2 ? numbers : [raw];
}

/**
 * Normalizes a phone number typed anywhere (+86, 0086, 86, spaces, dashes, brackets,
 * full-width digits, 转 extensions) to E.164 with libphonenumber's full metadata, which
 * is what tells mobile from landline from 400/800 hotlines.
 */
export function normalizePhone(raw: unknown, defaultCountry: CountryCode = 'CN'): PhoneResult {
  const text = asText(raw);
  if (text === undefined) return { invalid: 'empty' };
  let s = toHalfWidth(text).trim();
  if (!s) return { invalid: 'empty' };
  if (MASKED_PHONE.test(s)) return { invalid: 'masked' };

  // Our own identity form, +8675586013388;ext=8001, must read back as itself.
  s = s.replace(/;\s*ext\s*=\s*/i, ' ext ');
  const first = s.split(LIST_SEPARATOR).find((part) => /\d/.test(part));
  if (!first) return { invalid: 'not_a_phone' };
  s = first.trim();
  // Labels in front of the number: "手机：138…", "Tel: …".
  s = s.replace(/^[^\d+(]+/, '');
  let extension: string | undefined;
  const ext = EXTENSION.exec(s);
  if (ext) {
    extension = ext[1];
    s = s.slice(0, ext.index);
  }
  const result = parseCompact(s, defaultCountry, extension);
  if ('e164' in result || extension) return result;
  // "0755-86013388-8001": a dash also introduces a landline extension in China.
  const dashed = /^(.*\d)\s*-\s*(\d{1,5})$/.exec(s);
  if (dashed) {
    const landline = parseCompact(dashed[1]!, defaultCountry, dashed[2]);
    if ('e164' in landline && landline.kind === 'landline') return landline;
  }
  return result;
}

function parseCompact(spaced: string, defaultCountry: CountryCode, extension: string | undefined): PhoneResult {
  let s = spaced.replace(/[\s\-.()\[\]]/g, '');
  if (!/^\+?\d+$/.test(s)) return { invalid: 'not_a_phone' };
  // A trunk 0 in front of a mainland mobile is an old long-distance habit: 013812345678.
  if (defaultCountry === 'CN') s = s.replace(/^0(1[3-9]\d{9})$/, '$1');
  if (defaultCountry === 'CN' && extension === undefined) {
    const mobile = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(s)?.[1];
    if (mobile !== undefined && isMobilePrefix(mobile.slice(0, 5))) {
      return { kind: 'mobile', e164: `+86${mobile}`, national: mobile, callingCode: '86', country: 'CN' };
    }
  }
  const digits = s.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 17) return { invalid: 'not_a_phone' };

  const parsed = parsePhoneNumberFromString(s, { defaultCountry }, metadata);
  if (!parsed) return { invalid: 'not_a_phone' };
  if (!parsed.isValid()) return { invalid: 'invalid_number' };
  const result: NormalizedPhone = {
    kind: phoneKind(parsed.getType()),
    e164: parsed.number,
    national: parsed.nationalNumber,
    callingCode: parsed.countryCallingCode,
  };
  if (parsed.country) result.country = parsed.country;
  const extension2 = extension ?? parsed.ext;
  if (extension2) result.extension = extension2;
  return result;
}

/** The identity value of a phone: E.164, plus RFC 3966 `;ext=` so switchboard extensions stay apart. */
export function phoneIdentityValue(phone: NormalizedPhone): string {
  return phone.extension ? `${phone.e164};ext=${phone.extension}` : phone.e164;
}

// libphonenumber's mainland mobile ranges are decided by the first five digits at most
// (1(?:610\d|740[0-5])\d{6} | 1(?:[38]\d|4[57]|…)\d{8}), so a number's validity and type can
// be read once per five-digit prefix and reused: the same answer, without a parse per record.
const mobilePrefixes = new Map<string, boolean>();
function isMobilePrefix(prefix: string): boolean {
  let ok = mobilePrefixes.get(prefix);
  if (ok === undefined) {
    const parsed = parsePhoneNumberFromString(`+86${prefix}000000`, metadata);
    ok = !!parsed && parsed.isValid() && phoneKind(parsed.getType()) === 'mobile' && parsed.country === 'CN' && !parsed.ext;
    mobilePrefixes.set(prefix, ok);
  }
  return ok;
}

function phoneKind(type: NumberType | undefined): PhoneKind {
  switch (type) {
    case 'MOBILE':
    // North-American numbers cannot be told apart; a person's number on a form is usually a mobile.
    case 'FIXED_LINE_OR_MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    // 400 (shared cost) and 800 numbers are company hotlines in China.
    case 'TOLL_FREE':
    case 'SHARED_COST':
    case 'UAN':
      return 'tollfree';
    default:
      return 'other';
  }
}

