import type { CountryCode } from 'libphonenumber-js/core';
import { isNormalizedEmail, normalizeEmail, splitEmailList } from './email.normalizer.js';
import { isJunkEmail, isJunkIdentity, isJunkPhone } from './junk-identity.util.js';
import { isNormalizedPhone, normalizePhone, phoneIdentityValue, splitPhoneList, type PhoneKind } from './phone.normalizer.js';
import { asText, toHalfWidth } from './text.normalizer.js';

export interface NormalizedIdentity {
  /** Lower-case identity type: phone, email, wechat_unionid, … */
  type: string;
  /** The normalized value: the key under which the store finds the customer. */
  value: string;
  /** The value as received. */
  raw: string;
  /** A looser key for matching (e-mail provider aliases folded); null when it equals value. */
  matchKey: string | null;
  phoneKind?: PhoneKind;
}

/** Why a value identifies nobody. `list`: the field lists more values than one person has (MAX_LISTED_VALUES). */
export type IdentityRejection = 'empty' | 'junk' | 'masked' | 'not_a_phone' | 'invalid_number' | 'not_an_email' | 'bad_type' | 'list';

export interface RejectedIdentity {
  type: string;
  raw: string;
  reason: IdentityRejection;
}

export type IdentityResult = NormalizedIdentity | RejectedIdentity;

export function isRejectedIdentity(r: IdentityResult): r is RejectedIdentity {
  return 'reason' in r;
}

/** Identity types are lower-case words: `phone`, `wechat_unionid`, `pos_member_id`; no `:` (the API's `type:value` form splits on it). */
const TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

/**
 * One identity, normalized the way the store keys it: phones to E.164, e-mails lower-case,
 * other ids half-width and trimmed (their case is kept: WeChat openids are case-sensitive).
 * Junk and invalid values come back as rejections with a reason.
 */
export function normalizeIdentity(type: string, raw: unknown, defaultCountry: CountryCode = 'CN'): IdentityResult {
  const t = String(type ?? '').trim().toLowerCase();
  if (raw instanceof PastedList) return { type: t, raw: raw.text, reason: 'list' };
  const rawText = asText(raw) ?? '';
  if (!TYPE.test(t)) return { type: t, raw: rawText, reason: 'bad_type' };
  if (!rawText.trim()) return { type: t, raw: rawText, reason: 'empty' };
  if (t === 'phone') {
    const phone = normalizePhone(rawText, defaultCountry);
    if (!isNormalizedPhone(phone)) {
      return { type: t, raw: rawText, reason: isJunkIdentity(t, rawText) ? 'junk' : phone.invalid };
    }
    if (isJunkPhone(phone)) return { type: t, raw: rawText, reason: 'junk' };
    return { type: t, value: phoneIdentityValue(phone), raw: rawText, matchKey: null, phoneKind: phone.kind };
  }
  if (t === 'email') {
    const email = normalizeEmail(rawText);
    if (!isNormalizedEmail(email)) {
      return { type: t, raw: rawText, reason: isJunkIdentity(t, rawText) ? 'junk' : email.invalid };
    }
    if (isJunkEmail(email.email)) return { type: t, raw: rawText, reason: 'junk' };
    return { type: t, value: email.email, raw: rawText, matchKey: email.matchKey === email.email ? null : email.matchKey };
  }
  const value = toHalfWidth(rawText).trim();
  if (isJunkIdentity(t, value)) return { type: t, raw: rawText, reason: 'junk' };
  return { type: t, value, raw: rawText, matchKey: null };
}

/**
 * Values one field may list and still be one person's (手机, 座机, 传真 and a few more). A field
 * listing more is a list pasted into one record (a shop's whole contact sheet): keyed to one
 * customer, it would make strangers one person, so it identifies nobody (`list`).
 */
export const MAX_LISTED_VALUES = 10;

/** A field listing more than MAX_LISTED_VALUES values, as splitIdentityList hands it on. */
class PastedList {
  constructor(
    readonly text: string,
    readonly count: number,
  ) {}
}

/**
 * The values one identity field holds: a phone or e-mail field that lists several ("139… / 138…",
 * "a@x.cn; b@y.com") gives each, to be normalized one by one as identities of the same person;
 * any other value is itself. Ids of other types are never split (an openid is one token). A field
 * listing more than MAX_LISTED_VALUES comes back as one value that normalizeIdentity rejects (`list`).
 */
export function splitIdentityList(type: string, raw: unknown, defaultCountry: CountryCode = 'CN'): unknown[] {
  const t = String(type ?? '').trim().toLowerCase();
  const values = t === 'phone' ? splitPhoneList(raw, defaultCountry) : t === 'email' ? splitEmailList(raw) : [raw];
  return values.length > MAX_LISTED_VALUES ? [new PastedList(String(raw), values.length)] : values;
}

/** Parses the `type:value` form used by the API's `identity=` filter. */
export function parseIdentityRef(ref: string): { type: string; value: string } | undefined {
  const i = ref.indexOf(':');
  if (i <= 0 || i === ref.length - 1) return undefined;
  return { type: ref.slice(0, i), value: ref.slice(i + 1) };
}
