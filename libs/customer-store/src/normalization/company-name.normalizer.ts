import { asText, toHalfWidth } from './text.normalizer.js';

// Longest first, so 股份有限公司 is removed whole rather than leaving 股份. 分公司 stays:
// a branch is a different legal entity, linked to its parent rather than merged into it.
const LEGAL_FORMS_ZH = [
  '集团股份有限公司', '集团有限责任公司', '股份有限公司', '有限责任公司', '集团有限公司', '有限公司',
  '股份公司', '有限合伙', '公司', '集团', '控股',
];
const LEGAL_FORMS_EN = /\b(?:co\s*\.?\s*,?\s*ltd|company\s+limited|corporation|incorporated|limited|holdings?|group|corp|inc|llc|ltd|co|plc|gmbh)\b\.?/g;

/**
 * A first, exact-match key for company names: ABC科技 = ABC科技有限公司 = ABC（中国）科技.
 * Half-width, case-folded, punctuation and whitespace removed, the (中国) marker and legal
 * forms stripped. Place names, traditional characters and short names are for the matcher.
 */
export function normalizeCompanyName(raw: unknown): string | undefined {
  const text = asText(raw);
  if (text === undefined) return undefined;
  let s = toHalfWidth(text).toLowerCase().trim();
  if (!s) return undefined;
  s = s.replace(/\((?:中国|中國|china)\)/g, '');
  s = s.replace(/[&＆]|和|与|與/g, '&');
  s = s.replace(LEGAL_FORMS_EN, ' ');
  s = s.replace(/[\s\p{P}\p{S}]+/gu, (m) => (m.includes('&') ? '&' : ''));
  const beforeForms = s;
  let stripped = true;
  while (stripped) {
    stripped = false;
    for (const form of LEGAL_FORMS_ZH) {
      if (s.length > form.length && s.endsWith(form)) {
        s = s.slice(0, -form.length);
        stripped = true;
        break;
      }
    }
  }
  // A name that is nothing but legal forms (有限公司) is kept whole rather than cut to 有限.
  if (s.length < 2 || LEGAL_FORMS_ZH.some((form) => form.startsWith(s))) s = beforeForms;
  return s || undefined;
}
