import { encodeSyllables, normalizePersonName } from '../normalization/person-name.normalizer.js';
import { jaroWinkler } from './jaro-winkler.comparator.js';

/** A person name prepared once per record, compared many times. */
export interface PreparedName {
  /** Simplified Han (张三) or Latin tokens joined (zhangsan): the exact key. */
  key: string;
  /** Toneless pinyin, syllables joined (zhangsan); empty when the name is not pinyin. */
  pinyin: string;
  /** Pinyin syllables sorted, so San Zhang meets Zhang San; empty when unknown. */
  sorted: string;
  /** Pinyin initials (zs); empty when unknown. */
  initials: string;
  /** The pinyin syllables, one character each (encodeSyllables); empty when unknown. */
  syllables: string;
  /** Whether the name is written (at least partly) in Han characters. */
  han: boolean;
}

/**
 * Prepares a name with the shared normalizer (traditional → simplified, salutations out,
 * pinyin), or undefined when it cannot identify anyone: empty, junk, or a nickname
 * (小王, 王先生, Amy, emoji), which must not count as name evidence.
 */
export function preparePersonName(raw: string | undefined): PreparedName | undefined {
  if (raw === undefined) return undefined;
  const n = normalizePersonName(raw);
  if (!n || n.weak || !n.matchKey) return undefined;
  return {
    key: n.matchKey.replace(/\s+/g, ''),
    pinyin: n.pinyin,
    sorted: n.pinyinSorted,
    initials: n.pinyinInitials,
    syllables: encodeSyllables(n.pinyinSyllables),
    han: n.script !== 'latin',
  };
}

/**
 * Similarity of two prepared names: equal keys 1; Jaro-Winkler on keys in the same script;
 * the same pinyin across scripts (张三 / Zhang San, San Zhang) 0.95; the same pinyin with
 * different Han characters (张/章, a homophone) only 0.88, weak evidence. Otherwise a name in
 * pinyin is compared syllable by syllable, as Han names are character by character: letters
 * would make Zhang Wei and Zhang Wen 0.95 alike, and 张伟 and Zhang Feihao 0.86, because the
 * shared surname is most of their letters.
 */
export function comparePersonNames(a: PreparedName, b: PreparedName): number {
  if (a.key === b.key) return 1;
  const both = a.han && b.han;
  const pinyinBoth = a.syllables !== '' && b.syllables !== '';
  // Latin names that are not pinyin (John Smith) keep the letter comparison.
  let s = a.han === b.han && (both || !pinyinBoth) ? jaroWinkler(a.key, b.key) : 0;
  if (pinyinBoth) {
    if (a.pinyin === b.pinyin) s = Math.max(s, both ? 0.88 : 0.95);
    else if (a.sorted && a.sorted === b.sorted) s = Math.max(s, both ? 0.85 : 0.95);
    else if (!both) s = Math.max(s, jaroWinkler(a.syllables, b.syllables) * (a.han === b.han ? 1 : 0.95));
  }
  // A Chinese name a character longer or shorter is another given name (邓雨, 邓雨涵), however much
  // the two share: Jaro-Winkler's prefix bonus pays for the surname and the first given character.
  const la = a.han ? a.key.length : a.syllables.length;
  const lb = b.han ? b.key.length : b.syllables.length;
  if (la !== lb && (both || pinyinBoth) && s < 1) s = Math.min(s, OTHER_LENGTH_MAX);
  return s;
}

/** At most this alike (below `partial` in the default rules): two Chinese names of different lengths. */
const OTHER_LENGTH_MAX = 0.8;
