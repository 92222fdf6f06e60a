import type { Item } from '@tributary/node-sdk';

/**
 * Field names recognised without configuration, per kind. Matching ignores case, spaces,
 * dashes and underscores, so `Phone Number`, `phone_number` and `phoneNumber` all match.
 */
export const DEFAULT_FIELD_ALIASES = {
  phone: ['phone', 'mobile', 'tel', 'telephone', 'phone_number', 'mobile_phone', 'cellphone', 'cell', 'contact_phone', '手机', '电话', '手机号', '手机号码', '联系电话', '电话号码', '移动电话'],
  email: ['email', 'e-mail', 'mail', 'email_address', '邮箱', '电子邮箱', '邮件', '电子邮件'],
  name: ['name', 'full_name', 'display_name', 'contact_name', '姓名', '名字', '联系人', '客户姓名'],
  company: ['company', 'company_name', 'organization', 'organisation', 'org', '公司', '公司名称', '单位', '企业名称'],
  city: ['city', '城市', '所在城市'],
} as const;

/** Identity types other than phone and e-mail that are taken from same-named fields (CONTRACT §5). */
export const DEFAULT_OTHER_IDENTITY_FIELDS: Record<string, string[]> = {
  wechat_unionid: ['wechat_unionid', 'unionid'],
  wechat_openid: ['wechat_openid', 'openid'],
  wecom_external_userid: ['wecom_external_userid', 'external_userid'],
  pos_member_id: ['pos_member_id', 'member_id'],
};

export type ProfileKind = 'name' | 'company' | 'city';

const PROFILE_KINDS: Record<ProfileKind, true> = { name: true, company: true, city: true };

/** The fields of each kind: the configured ones where given, the defaults otherwise. */
export function fieldsFor(kind: string, configured: Record<string, string[] | undefined> | undefined): string[] {
  const own = configured?.[kind];
  if (own && own.length > 0) return own;
  if (kind in DEFAULT_FIELD_ALIASES) return [...DEFAULT_FIELD_ALIASES[kind as keyof typeof DEFAULT_FIELD_ALIASES]];
  return DEFAULT_OTHER_IDENTITY_FIELDS[kind] ?? [kind];
}

/** Identity types to look for: phone, e-mail, the other defaults, and any the config adds. */
export function identityKinds(configured: Record<string, string[] | undefined> | undefined): string[] {
  const kinds = ['phone', 'email', ...Object.keys(DEFAULT_OTHER_IDENTITY_FIELDS)];
  for (const k of Object.keys(configured ?? {})) if (!kinds.includes(k) && !(k in PROFILE_KINDS)) kinds.push(k);
  return kinds;
}

// Field names repeat across millions of items: squash each distinct name once.
const squashed = new Map<string, string>();
const squash = (s: string): string => {
  let v = squashed.get(s);
  if (v === undefined) {
    v = s.toLowerCase().replace(/[\s_\-]/g, '');
    if (squashed.size < 10_000) squashed.set(s, v);
  }
  return v;
};

/** One found value and the item field it came from. */
export interface FieldValue {
  field: string;
  value: unknown;
}

/**
 * The non-empty values of the first matching fields: an exact key, then a key equal up to
 * case, spaces, dashes and underscores, then a dotted path (`contact.phone`).
 */
export function readFields(item: Item, names: string[]): FieldValue[] {
  const found: FieldValue[] = [];
  const seen = new Set<string>();
  const keys = Object.keys(item);
  for (const name of names) {
    const wanted = squash(name);
    const key = name in item ? name : keys.find((k) => squash(k) === wanted);
    if (key !== undefined) {
      if (!seen.has(key) && !isBlank(item[key])) found.push({ field: key, value: item[key] });
      seen.add(key);
      continue;
    }
    if (name.includes('.')) {
      const value = readPath(item, name);
      if (!seen.has(name) && !isBlank(value)) found.push({ field: name, value });
      seen.add(name);
    }
  }
  return found;
}

/** The first non-empty text value of the fields, trimmed. */
export function readText(item: Item, names: string[]): FieldValue | undefined {
  for (const f of readFields(item, names)) {
    if (typeof f.value === 'string' && f.value.trim()) return { field: f.field, value: f.value.trim() };
    if (typeof f.value === 'number' && Number.isFinite(f.value)) return { field: f.field, value: String(f.value) };
  }
  return undefined;
}

function readPath(item: Item, path: string): unknown {
  let cur: unknown = item;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Values of a field that may hold one value or a list of them. */
export function valuesOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}
