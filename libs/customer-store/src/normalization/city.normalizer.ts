import { CITY_ALIASES, LATIN_PLACES, OTHER_CITIES, PROVINCES, REGION_LONG_FORMS, SHORT_CITY_NAMES } from './china-place.util.js';
import { hasHan, toSimplified } from './chinese-script.util.js';
import { isJunkIdentity } from './junk-identity.util.js';
import { asText, toHalfWidth } from './text.normalizer.js';

const CITIES_LONGEST_FIRST = [...new Set([...Object.keys(CITY_ALIASES), ...OTHER_CITIES])].sort((a, b) => b.length - a.length);
const PROVINCES_LONGEST_FIRST = Object.keys(PROVINCES).sort((a, b) => b.length - a.length);
const ADMIN_SUFFIX = /(?:特别行政区|自治区|自治州|地区|市|省|盟)$/u;
// Words around a Latin city name that say nothing: "Shanghai Shi", "Beijing City, PRC".
const LATIN_NOISE = new Set(['city', 'shi', 'province', 'sheng', 'prc', 'pr', 'china', 'cn', 'sar', 'municipality', 'the', 'of']);

/**
 * A comparable city: Chinese, simplified, without 市/省/自治区/特别行政区 (北京市 → 北京,
 * 臺北市 → 台北), a leading province dropped (广东省深圳市 → 深圳), a district after a known
 * city dropped (北京市朝阳区 → 北京), and pinyin/English/short names of the major cities
 * mapped to Chinese (Peking → 北京, Canton → 广州, 沪 → 上海). Unknown Latin names are
 * lower-cased; placeholders (未知, -, n/a) give undefined.
 */
export function normalizeCity(raw: unknown): string | undefined {
  const text = asText(raw);
  if (text === undefined) return undefined;
  const s = toHalfWidth(text).trim();
  // 沪 and 京 are one character, which the placeholder check would throw away.
  const short = SHORT_CITY_NAMES.get(s);
  if (short) return short;
  if (!s || isJunkIdentity('city', s)) return undefined;
  return hasHan(s) ? hanCity(toSimplified(s)) : latinCity(s);
}

function hanCity(raw: string): string | undefined {
  let s = raw.replace(/[^\p{L}]+/gu, '').replace(/^(?:中华人民共和国|中国)/u, '');
  if (!s) return undefined;
  const short = SHORT_CITY_NAMES.get(s);
  if (short) return short;
  for (const [long, name] of Object.entries(REGION_LONG_FORMS)) {
    if (s.startsWith(long)) s = name + s.slice(long.length);
  }
  // A province in front of a city (广东省深圳市, 广东深圳); a province alone stays a province.
  for (const province of PROVINCES_LONGEST_FIRST) {
    if (!s.startsWith(province)) continue;
    const rest = s.slice(province.length).replace(/^(?:省|自治区)/u, '');
    if (rest.replace(ADMIN_SUFFIX, '')) s = rest;
    break;
  }
  for (const city of CITIES_LONGEST_FIRST) if (s.startsWith(city)) return city;
  const stripped = s.replace(ADMIN_SUFFIX, '');
  // 市 alone, or a one-character stem like 沙市, keeps its suffix rather than vanishing.
  return stripped.length >= 2 ? stripped : s;
}

function latinCity(raw: string): string | undefined {
  const plain = raw.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const parts = plain.split(/[,;/|]+/).map((part) =>
    part.split(/[^a-z]+/).filter((w) => w && !LATIN_NOISE.has(w)),
  );
  for (const words of parts) {
    const found = LATIN_PLACES.get(words.join(''));
    if (found && Object.hasOwn(CITY_ALIASES, found)) return found;
    // "Guangdong Shenzhen", "Shenzhen Guangdong": the city wins over its province.
    for (const word of words) {
      const city = LATIN_PLACES.get(word);
      if (city && Object.hasOwn(CITY_ALIASES, city)) return city;
    }
  }
  for (const words of parts) {
    const province = LATIN_PLACES.get(words.join(''));
    if (province) return province;
  }
  const words = parts.flat();
  return words.length > 0 ? words.join(' ') : undefined;
}
