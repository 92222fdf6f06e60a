import { exactNumber, isPlainObject } from '@tributary/node-sdk';

/** The customer fields a form answer can fill; the names every trigger emits. */
export type StandardField = 'name' | 'phone' | 'email' | 'company' | 'city' | 'title';

/**
 * Question labels and field names recognised without configuration. Matching ignores case,
 * spaces, `_`, `-`, `*`, colons, question marks and text in brackets, so `Phone Number`,
 * `phone_number` and `手机号码（必填）` all match.
 */
export const FORM_FIELD_ALIASES: Record<StandardField, readonly string[]> = {
  phone: ['phone', 'mobile', 'tel', 'telephone', 'phone_number', 'mobile_phone', 'mobile_number', 'cellphone', 'cell', 'contact_phone', 'your_phone', '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系手机', '移动电话', 'shouji', 'dianhua'],
  email: ['email', 'e-mail', 'mail', 'email_address', 'your_email', 'contact_email', '邮箱', '电子邮箱', '邮箱地址', '邮件', '电子邮件', 'youxiang'],
  name: ['name', 'full_name', 'your_name', 'contact_name', 'display_name', '姓名', '名字', '联系人', '客户姓名', '联系人姓名', '称呼', 'xingming'],
  company: ['company', 'company_name', 'organization', 'organisation', 'org', '公司', '公司名称', '单位', '单位名称', '企业', '企业名称', 'gongsi'],
  city: ['city', 'town', '城市', '所在城市', 'chengshi'],
  title: ['job_title', 'position', '职位', '职务', '岗位'],
};

// Second pass, on labels no alias matched exactly: a label containing one of these words
// ("您的手机号", "Your email address"). Checked in this order, so "公司电话" is a phone.
const CONTAINS: [StandardField, string[]][] = [
  ['email', ['email', '邮箱', '邮件']],
  ['phone', ['phone', 'mobile', '手机', '电话']],
  ['company', ['company', '公司', '单位', '企业']],
  ['city', ['城市']],
  ['title', ['职位', '职务']],
  ['name', ['姓名', '名字']],
];
const FIRST_NAME = ['first_name', 'given_name', 'first', '名'];
const LAST_NAME = ['last_name', 'family_name', 'surname', 'last', '姓'];
// Answers under these keys describe the form, not the person (a form's own `name`).
const META_PREFIXES = ['form.', 'meta.', 'definition.', 'page.'];
// Item fields the triggers set themselves; an answer with such a key is kept as form_<key>.
const RESERVED = new Set(['raw', 'eventType', 'occurredAt', 'channel', 'customerId', 'identities', 'normalized']);

export type Scalar = string | number | boolean;

/** One answer of a submission: where it was (`key`, a dot path), what it was called, what it holds. */
export interface FormAnswer {
  key: string;
  label: string;
  value: Scalar;
  /** A vendor's stable name for the question (Typeform `ref`, 简道云 widget id or alias). */
  ref?: string;
  /** The field the vendor says this is (a Typeform `email` answer), ahead of label matching. */
  hint?: StandardField;
}

/** Lower case without spaces, `_ - * : ? .`, a Jotform `q3_` prefix or text in brackets. */
export function squashLabel(label: string): string {
  return label
    .replace(/^q\d+_/i, '')
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .toLowerCase()
    .replace(/[\s_\-*:：?？.。!！]/g, '');
}

const ALIAS_SETS = Object.fromEntries(Object.entries(FORM_FIELD_ALIASES).map(([k, v]) => [k, new Set(v.map(squashLabel))])) as Record<StandardField, Set<string>>;
const FIRST_SET = new Set(FIRST_NAME.map(squashLabel));
const LAST_SET = new Set(LAST_NAME.map(squashLabel));

/** The standard field a label names exactly (an alias), if any. */
export function standardFieldOf(label: string): StandardField | undefined {
  const s = squashLabel(label);
  for (const f of Object.keys(ALIAS_SETS) as StandardField[]) if (ALIAS_SETS[f].has(s)) return f;
  return undefined;
}

const LABEL_KEYS = ['label', 'title', 'question', 'name', 'key', 'field'];
const VALUE_KEYS = ['value', 'answer', 'content', 'text', 'values'];

/** `{label: "手机", value: "138…"}`-style entries of an answers array. */
function asPair(o: Record<string, unknown>): { label: string; value: unknown } | undefined {
  const labelKey = LABEL_KEYS.find((k) => typeof o[k] === 'string' && (o[k] as string).trim() !== '');
  const valueKey = VALUE_KEYS.find((k) => k in o);
  if (!labelKey || !valueKey || labelKey === valueKey) return undefined;
  return { label: (o[labelKey] as string).trim(), value: o[valueKey] };
}

/** Objects that are one answer: name parts, phone parts (`{full}`, `{area, phone}`, `{phone, verified}`). */
function compoundValue(o: Record<string, unknown>): string | undefined {
  const keys = Object.keys(o);
  const str = (k: string) => (typeof o[k] === 'string' || (typeof o[k] === 'number' && exactNumber(o[k] as number)) ? String(o[k]).trim() : '');
  if (typeof o.full === 'string' && o.full.trim()) return o.full.trim();
  const nameParts = ['prefix', 'first', 'middle', 'last', 'suffix', 'first_name', 'middle_name', 'last_name'];
  if (keys.length > 0 && keys.every((k) => nameParts.includes(k)) && keys.some((k) => str(k))) {
    return joinName(str('first') || str('first_name'), str('last') || str('last_name'), str('middle') || str('middle_name'));
  }
  // A platform account picked in a member widget ({name, username}): one value, not a `name` answer.
  if (str('username') && str('name') && keys.every((k) => ['name', 'username', '_id', 'status', 'type', 'departments'].includes(k))) return str('name');
  const phoneParts = ['phone', 'area', 'verified', 'country_code', 'countryCode'];
  if (str('phone') && keys.every((k) => phoneParts.includes(k))) return [str('country_code') || str('countryCode'), str('area'), str('phone')].filter(Boolean).join('');
  return undefined;
}

const CJK = /[\u3400-\u9fff]/;

/** Given and family name in the order their script writes them: 张 + 三 → 张三, Ada + Lovelace → Ada Lovelace. */
export function joinName(first: string, last: string, middle = ''): string {
  if (CJK.test(first) || CJK.test(last)) return `${last}${first}`;
  return [first, middle, last].filter(Boolean).join(' ');
}

/**
 * Every answer of a submission as (key, label, value): nested objects become dot paths,
 * `[{label, value}]` arrays become one answer per entry (keyed by their label), arrays of
 * plain values are joined with ", ", name and phone parts are joined into one value.
 */
export function flattenAnswers(payload: unknown, prefix = ''): FormAnswer[] {
  const out: FormAnswer[] = [];
  const push = (key: string, label: string, v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') {
      const t = v.trim();
      if (t) out.push({ key, label, value: t });
      return;
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
      if (typeof v !== 'number' || exactNumber(v)) out.push({ key, label, value: v });
      return;
    }
    if (Array.isArray(v)) {
      if (v.every((e) => e === null || ['string', 'number', 'boolean'].includes(typeof e))) {
        const joined = v.filter((e) => e !== null && (typeof e !== 'number' || exactNumber(e)) && String(e).trim() !== '').map((e) => String(e).trim()).join(', ');
        if (joined) out.push({ key, label, value: joined });
        return;
      }
      v.forEach((e, i) => {
        const pair = isPlainObject(e) ? asPair(e) : undefined;
        if (pair) push(pair.label, pair.label, pair.value);
        else if (isPlainObject(e)) out.push(...flattenAnswers(e, `${key}.${i}`));
        else push(`${key}.${i}`, label, e);
      });
      return;
    }
    if (isPlainObject(v)) {
      const compound = compoundValue(v);
      if (compound !== undefined) push(key, label, compound);
      else out.push(...flattenAnswers(v, key));
    }
  };
  if (Array.isArray(payload)) push(prefix || 'answers', prefix || 'answers', payload);
  else if (isPlainObject(payload)) for (const [k, v] of Object.entries(payload)) push(prefix ? `${prefix}.${k}` : k, k, v);
  return out;
}

/** Target item field → the answer keys or labels that fill it (first present wins). */
export type FieldMap = Record<string, string | string[]>;

/**
 * Turns answers into top-level item fields: the configured `fieldMap` first, then the
 * default aliases (exact, then by a contained word), name parts into `name`, `utm_*`
 * answers as `utm_<x>`; every other answer is kept under its key. A value used for a
 * standard field is not repeated under its own key.
 */
export function mapAnswers(answers: FormAnswer[], fieldMap: FieldMap = {}): Record<string, Scalar> {
  const fields: Record<string, Scalar> = {};
  const used = new Set<number>();
  const take = (target: string, i: number, standard: boolean): boolean => {
    const v = answers[i]!.value;
    if (standard && typeof v === 'boolean') return false;
    fields[target] = standard ? String(v) : v;
    used.add(i);
    return true;
  };

  for (const [target, sources] of Object.entries(fieldMap)) {
    const standard = target in FORM_FIELD_ALIASES;
    for (const source of Array.isArray(sources) ? sources : [sources]) {
      const s = squashLabel(source);
      const i = answers.findIndex((a, j) => !used.has(j) && (a.key === source || a.ref === source || a.label === source || squashLabel(a.label) === s || squashLabel(a.key) === s));
      if (i >= 0 && take(target, i, standard)) break;
    }
  }

  const candidate = (j: number) => !used.has(j) && !META_PREFIXES.some((p) => answers[j]!.key.startsWith(p));
  const standardFields = Object.keys(FORM_FIELD_ALIASES) as StandardField[];
  for (const f of standardFields) {
    if (f in fields) continue;
    const i = answers.findIndex((a, j) => candidate(j) && a.hint === f);
    if (i >= 0) take(f, i, true);
  }
  for (const f of standardFields) {
    if (f in fields) continue;
    const named = (a: FormAnswer) => ALIAS_SETS[f].has(squashLabel(a.label)) || (a.ref !== undefined && ALIAS_SETS[f].has(squashLabel(a.ref)));
    const i = answers.findIndex((a, j) => candidate(j) && named(a) && typeof a.value !== 'boolean');
    if (i >= 0) take(f, i, true);
  }
  for (const [f, words] of CONTAINS) {
    if (f in fields) continue;
    const i = answers.findIndex((a, j) => candidate(j) && typeof a.value === 'string' && words.some((w) => squashLabel(a.label).includes(w)));
    if (i >= 0) take(f, i, true);
  }
  if (!('name' in fields)) {
    const first = answers.findIndex((a, j) => candidate(j) && FIRST_SET.has(squashLabel(a.label)));
    const last = answers.findIndex((a, j) => candidate(j) && LAST_SET.has(squashLabel(a.label)));
    if (first >= 0 || last >= 0) {
      fields.name = joinName(first >= 0 ? String(answers[first]!.value) : '', last >= 0 ? String(answers[last]!.value) : '');
      if (first >= 0) used.add(first);
      if (last >= 0) used.add(last);
    }
  }

  answers.forEach((a, j) => {
    if (used.has(j)) return;
    const utm = /^utm[\s_-]*([a-z]+)$/i.exec(a.label.trim());
    if (utm) {
      const key = `utm_${utm[1]!.toLowerCase()}`;
      if (!(key in fields)) fields[key] = String(a.value);
      return;
    }
    const key = RESERVED.has(a.key) ? `form_${a.key}` : a.key;
    if (!(key in fields)) fields[key] = a.value;
  });
  return fields;
}
