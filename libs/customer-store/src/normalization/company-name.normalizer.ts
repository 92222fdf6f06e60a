import { LATIN_PLACES, PLACE_NAMES } from './china-place.util.js';
import { toSimplified } from './chinese-script.util.js';
import { isJunkIdentity } from './junk-identity.util.js';
import { asText, toHalfWidth } from './text.normalizer.js';

// Typed in a company field by people who have none: they name no company.
const NO_COMPANY = new Set(['个人', '个体', '个体户', '自由职业', '自由职业者', '无业', '学生', '家庭主妇', '退休', 'personal', 'individual', 'self', 'self-employed', 'freelance', 'freelancer', 'student']);

// Longest first, so 股份有限公司 is removed whole rather than leaving 股份. 分公司 stays:
// a branch is a different legal entity, linked to its parent rather than merged into it.
const LEGAL_FORMS_ZH = [
  '集团股份有限公司', '集团有限责任公司', '股份有限公司', '有限责任公司', '集团有限公司', '有限公司',
  '股份公司', '有限合伙', '公司', '集团', '控股',
];
const LEGAL_FORMS_EN = /\b(?:co\s*\.?\s*,?\s*ltd|company\s+limited|corporation|incorporated|limited|holdings?|group|corp|inc|llc|ltd|co|plc|gmbh)\b\.?/g;
// The last legal form before a branch suffix ends the parent's name: ABC科技有限公司 | 上海 | 分公司.
const PARENT_END = /(?:有限责任公司|有限公司|股份公司|公司|集团|\b(?:co\s*\.?\s*,?\s*ltd|limited|ltd|inc|corp)\b\.?)/g;
const BRANCH_SUFFIX = /(分公司|分店|门店|分行|支行|办事处|营业部|分部|分厂|分院|分校)$/u;
// Trade words at the end of a name; a name that is only a place plus these (上海银行,
// 中国移动) keeps its place, since the place is then the brand.
const TRADE_WORDS = [
  '信息技术', '信息科技', '网络科技', '电子商务', '文化传媒', '管理咨询', '房地产', '科技', '技术', '网络',
  '电子', '贸易', '商贸', '实业', '投资', '发展', '建设', '工程', '银行', '保险', '证券', '医药', '生物',
  '物流', '传媒', '文化', '咨询', '管理', '教育', '食品', '餐饮', '汽车', '地产', '置业', '能源', '环保',
  '电器', '机械', '设备', '软件', '通信', '服务', '服饰', '化工', '材料', '制造', '航空', '农业', '旅游',
  '酒店', '广告', '设计', '装饰', '制药', '电力', '移动', '联通', '电信', '石油', '石化', '铁路', '邮政',
];
const PLACE_SUFFIX = '(?:省|市|自治区|特别行政区)?';
const LEADING_PLACE = new RegExp(`^(?:中华人民共和国|中国|${PLACE_NAMES.join('|')})${PLACE_SUFFIX}`, 'u');
const TRAILING_PLACE = new RegExp(`(?:${PLACE_NAMES.join('|')})${PLACE_SUFFIX}$`, 'u');

/**
 * An exact-match key for company names: ABC科技 = ABC科技有限公司 = ABC（中国）科技有限公司 =
 * 北京ABC科技有限公司 = ABC(北京)科技 = ABC科技股份有限公司 (traditional too). Half-width,
 * simplified, case-folded; punctuation, legal forms (有限公司, Co., Ltd.), region inserts
 * and leading places removed. A branch (分公司, 分店, 支行) keeps its place and suffix, so it
 * never shares its parent's key. Short names (腾讯 ↔ 深圳市腾讯计算机系统) are for the matcher.
 */
export function normalizeCompanyName(raw: unknown): string | undefined {
  const text = asText(raw);
  if (text === undefined) return undefined;
  const s = toSimplified(toHalfWidth(text)).toLowerCase().trim();
  if (!s || NO_COMPANY.has(s) || isJunkIdentity('company', s)) return undefined;
  const branch = BRANCH_SUFFIX.exec(s.replace(/[\s\p{P}]+$/u, ''));
  if (branch) {
    const head = s.replace(/[\s\p{P}]+$/u, '').slice(0, -branch[1]!.length);
    const split = splitBranch(head);
    if (split) {
      const parent = companyKey(split.parent);
      const place = split.place.replace(/[\s\p{P}\p{S}]+/gu, '').replace(/(?:省|市)$/u, '');
      if (parent) return parent + place + branch[1];
    }
  }
  return companyKey(s);
}

/** ABC科技有限公司上海 → ABC科技有限公司 + 上海; ABC科技上海 → ABC科技 + 上海. */
function splitBranch(head: string): { parent: string; place: string } | undefined {
  let end = -1;
  for (const m of head.matchAll(PARENT_END)) end = m.index + m[0].length;
  if (end > 0 && end < head.length) return { parent: head.slice(0, end), place: head.slice(end) };
  const compact = head.replace(/[\s\p{P}]+$/u, '');
  const place = TRAILING_PLACE.exec(compact);
  if (place && place.index > 0) return { parent: compact.slice(0, place.index), place: place[0] };
  return end === head.length ? { parent: head, place: '' } : undefined;
}

function companyKey(input: string): string | undefined {
  let s = input.replace(/\(([^()]*)\)/g, (whole, inner: string) => (isRegionInsert(inner) ? '' : whole));
  s = s.replace(/[&]|和|与/g, '&');
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
  if (s.length < 2 || LEGAL_FORMS_ZH.some((form) => form.startsWith(s))) return beforeForms || undefined;
  // Leading places, up to two (中国北京…, 广东省深圳市…), while a brand remains behind them.
  for (let i = 0; i < 2; i++) {
    const place = LEADING_PLACE.exec(s);
    if (!place) break;
    const rest = s.slice(place[0].length);
    if (brandCore(rest).length < 2) break;
    s = rest;
  }
  return s || undefined;
}

/** (中国), (China), (上海), (Shanghai), (广东省): an insert that names a region, not the company. */
function isRegionInsert(inner: string): boolean {
  const t = inner.replace(/\s+/g, '');
  if (!t) return true;
  if (/^(?:中国|中华人民共和国|china|prc|cn|h\.?k\.?)$/.test(t)) return true;
  const han = t.replace(/(?:省|市|自治区|特别行政区)$/u, '');
  if (PLACE_NAMES.includes(han) || LATIN_PLACES.has(t.replace(/[^a-z]/g, ''))) return true;
  // (徐汇区), (顺义县), (某某市): an administrative unit even when it is not in our table.
  return /^[\u4e00-\u9fff]{1,6}(?:省|市|区|县|新区|自治州)$/u.test(t);
}

/** The name without trade words at its end: abc科技 → abc, 银行 → ''. */
function brandCore(name: string): string {
  let s = name;
  let changed = true;
  while (changed) {
    changed = false;
    for (const word of TRADE_WORDS) {
      if (s.endsWith(word)) {
        s = s.slice(0, -word.length);
        changed = true;
      }
    }
  }
  return s;
}
