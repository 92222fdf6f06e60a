import { distance } from 'fastest-levenshtein';
import { normalizeCity } from '../normalization/city.normalizer.js';
import { toSimplified } from '../normalization/chinese-script.util.js';
import { PLACE_NAMES } from '../normalization/china-place.util.js';
import { isNearPhone, phoneMatchKey } from '../normalization/phone-match-key.util.js';
import { emailNearKey, isNearEmail } from '../normalization/email-match-key.util.js';
import { normalizeCompanyName } from '../normalization/company-name.normalizer.js';
import { toHalfWidth } from '../normalization/text.normalizer.js';
import { jaroWinkler } from './jaro-winkler.comparator.js';
import type { Comparator } from './match.types.js';
import { comparePersonNames, preparePersonName, type PreparedName } from './person-name.comparator.js';

/** A field value prepared once for its comparator: a string, or a prepared person name. */
export type PreparedValue = string | PreparedName;

/** Half-width, lower-case, trimmed, inner whitespace collapsed. */
export function plainText(raw: string): string {
  return toHalfWidth(raw).toLowerCase().replace(/\s+/g, ' ').trim();
}

// Names, cities and companies repeat a lot (a few thousand surnames, a few hundred cities), and
// their normalizers (OpenCC, pinyin) cost microseconds: a bounded memo per comparator pays off.
const MEMO_LIMIT = 100_000;
const memos = new Map<Comparator, Map<string, PreparedValue | undefined>>();

/** Prepares a raw value for a comparator; undefined means missing (scores 0). */
export function prepareField(comparator: Comparator, raw: string | undefined): PreparedValue | undefined {
  if (raw === undefined) return undefined;
  if (comparator !== 'person_name' && comparator !== 'company_name' && comparator !== 'city') return prepareUncached(comparator, raw);
  let memo = memos.get(comparator);
  if (!memo) memos.set(comparator, (memo = new Map()));
  if (memo.has(raw)) return memo.get(raw);
  const v = prepareUncached(comparator, raw);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, v);
  return v;
}

function prepareUncached(comparator: Comparator, raw: string): PreparedValue | undefined {
  switch (comparator) {
    case 'person_name':
      return preparePersonName(raw);
    case 'company_name':
      return companyKey(raw);
    case 'city':
      return normalizeCity(raw);
    case 'date': {
      const d = toHalfWidth(raw).replace(/\D/g, '');
      return d || undefined;
    }
    case 'phone_near':
      return phoneMatchKey(raw);
    case 'email_near':
      return emailNearKey(raw);
    default: {
      const s = plainText(raw);
      return s || undefined;
    }
  }
}

// Place names anywhere in a company name (西安信恒, 信恒(西安), 上海市…) say where, not who.
let places: Set<string> | undefined;
let longestPlace = 0;

/** The company key for matching: the shared normalizer, traditional folded first, place names out. */
export function companyKey(raw: string): string | undefined {
  const base = normalizeCompanyName(toSimplified(raw));
  if (base === undefined) return undefined;
  if (!places) {
    places = new Set(PLACE_NAMES);
    for (const p of PLACE_NAMES) longestPlace = Math.max(longestPlace, p.length);
  }
  // Longest place name at each position, by set lookups: far cheaper than one huge alternation.
  let core = '';
  for (let i = 0; i < base.length; ) {
    let hit = 0;
    for (let len = Math.min(longestPlace, base.length - i); len >= 2; len--) {
      if (places.has(base.slice(i, i + len))) {
        hit = len;
        break;
      }
    }
    if (hit === 0) {
      core += base[i];
      i++;
      continue;
    }
    i += hit;
    if (base[i] === '市' || base[i] === '省') i++;
  }
  return core.length >= 2 ? core : base;
}

/** Edit-distance similarity: 1 − distance / longer length. */
export function levenshteinSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - distance(a, b) / max;
}

/** Dates as digits (YYYYMMDD): equal 1; day and month swapped or one digit off 0.9; else edit similarity scaled down. */
export function compareDates(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 8 && b.length === 8) {
    if (a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) return 0.9;
    let diff = 0;
    for (let i = 0; i < 8 && diff < 2; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) diff++;
    if (diff === 1) return 0.9;
  }
  return levenshteinSimilarity(a, b) * 0.8;
}

/** Similarity in [0, 1] of two prepared values under a comparator. */
export function compareField(comparator: Comparator, a: PreparedValue, b: PreparedValue): number {
  if (typeof a !== 'string' || typeof b !== 'string') {
    return typeof a === 'string' || typeof b === 'string' ? 0 : comparePersonNames(a, b);
  }
  if (comparator === 'phone_near') return isNearPhone(a, b) ? 1 : 0;
  if (comparator === 'email_near') return isNearEmail(a, b) ? 1 : 0;
  if (a === b) return 1;
  switch (comparator) {
    case 'exact':
    case 'city':
      return 0;
    case 'levenshtein':
      return levenshteinSimilarity(a, b);
    case 'date':
      return compareDates(a, b);
    default:
      return jaroWinkler(a, b);
  }
}

/** The plain string form of a prepared value (for blocking keys). */
export function preparedKey(v: PreparedValue): string {
  return typeof v === 'string' ? v : v.key;
}
