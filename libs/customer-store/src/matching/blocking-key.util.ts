import { plainText, preparedKey } from './field.comparator.js';
import type { BlockingRule, BlockingTransform, MatchRecord } from './match.types.js';
import type { CompiledConfig, PreparedRecord } from './pair.scorer.js';

const SOUNDEX_CODES = '01230120022455012623010202';

/** American Soundex of the Latin letters in a string (R163 for robert), or '' when there are none. */
export function soundex(raw: string): string {
  const s = raw.toLowerCase().replace(/[^a-z]/g, '');
  if (!s) return '';
  let out = s[0]!.toUpperCase();
  let last = SOUNDEX_CODES[s.charCodeAt(0) - 97]!;
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const ch = s[i]!;
    const code = SOUNDEX_CODES[s.charCodeAt(i) - 97]!;
    if (code !== '0' && code !== last) out += code;
    // h and w do not separate equal codes; vowels do.
    if (ch !== 'h' && ch !== 'w') last = code;
  }
  return out.padEnd(4, '0');
}

function transform(value: string, t: BlockingTransform | undefined, prepared: unknown): string {
  switch (t ?? 'exact') {
    case 'exact':
      return value;
    case 'prefix3':
      return [...value].slice(0, 3).join('');
    case 'pinyin': {
      const p = prepared as { pinyin?: string } | undefined;
      return typeof prepared === 'object' && p?.pinyin ? p.pinyin : value;
    }
    case 'pinyin_initials': {
      const p = prepared as { initials?: string } | undefined;
      return typeof prepared === 'object' && p?.initials ? p.initials : value;
    }
    case 'soundex':
      return soundex(value);
    case 'digits':
      return value.replace(/\D/g, '');
    case 'year': {
      const d = value.replace(/\D/g, '');
      return d.length >= 4 ? d.slice(0, 4) : '';
    }
    // Phone match keys (the `phone_near` comparator): 11 digits, or 11 positions with * when masked.
    case 'phone_ends':
      return value.length === 11 && !/\*/.test(value.slice(0, 3) + value.slice(7)) ? value.slice(0, 3) + value.slice(7) : '';
    case 'phone_head':
      return value.length === 11 && !value.slice(0, 7).includes('*') ? value.slice(0, 7) : '';
  }
}

/**
 * The blocking keys of a record, `rule\u0001part\u0001part`: a record is compared only with
 * records sharing one. A rule whose field is missing gives no key (no block of all blanks).
 */
export function blockingKeys(record: MatchRecord, prepared: PreparedRecord, cc: CompiledConfig): string[] {
  const keys: string[] = [];
  for (const rule of cc.config.fuzzy.blocking) {
    const key = blockingKey(rule, record, prepared, cc);
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

function blockingKey(rule: BlockingRule, record: MatchRecord, prepared: PreparedRecord, cc: CompiledConfig): string | undefined {
  const parts: string[] = [];
  for (const f of rule.fields) {
    const i = cc.fieldIndex.get(f.field);
    let value: string | undefined;
    let prep: unknown;
    if (i !== undefined) {
      const v = prepared.values[i];
      if (v !== undefined) {
        value = preparedKey(v);
        prep = v;
      }
    } else {
      const raw = record.fields[f.field];
      if (raw !== undefined) value = plainText(raw);
    }
    if (!value) return undefined;
    const part = transform(value, f.transform, prep);
    if (!part) return undefined;
    parts.push(part);
  }
  if (rule.unordered) parts.sort();
  return `${rule.name}\u0001${parts.join('\u0001')}`;
}
