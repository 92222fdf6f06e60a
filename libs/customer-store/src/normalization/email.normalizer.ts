import { oneEditApart } from '../util/one-edit.util.js';
import { asText, toHalfWidth } from './text.normalizer.js';

export type EmailInvalidReason = 'empty' | 'not_an_email';

export interface NormalizedEmail {
  /** Lower-case, trimmed, half-width: the identity value. */
  email: string;
  /** Provider aliases folded (gmail dots, +tags): for matching only, never shown or sent to. */
  matchKey: string;
}

export type EmailResult = NormalizedEmail | { invalid: EmailInvalidReason };

export function isNormalizedEmail(r: EmailResult): r is NormalizedEmail {
  return 'email' in r;
}

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
// Unicode letters are allowed in domains (IDN such as 例子.中国); labels may not start or end with '-'.
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/**
 * The addresses an e-mail field lists ("a@x.cn; b@y.com", "a@x.cn, b@y.com", "a@x.cn 或 b@y.com"):
 * each part in order when at least two are addresses; otherwise the field as it is.
 */
export function splitEmailList(raw: unknown): unknown[] {
  const text = asText(raw);
  if (text === undefined) return [raw];
  const parts = toHalfWidth(text)
    .split(/[,;|、\s]+|或/)
    .map((p) => p.trim())
    .filter((p) => p.includes('@'));
  if (parts.length < 2) return [raw];
  const addresses = parts.filter((p) => 'email' in normalizeEmail(p));
  return addresses.length >= 2 ? addresses : [raw];
}

/** Lower-case, trimmed, half-width (`＠`, `。`) e-mail address, or why it is not one. */
export function normalizeEmail(raw: unknown): EmailResult {
  const text = asText(raw);
  if (text === undefined) return { invalid: 'empty' };
  let s = toHalfWidth(text).trim();
  if (!s) return { invalid: 'empty' };
  // "张三 <zhangsan@example.cn>" and mailto: links.
  const angle = /<([^<>]+)>/.exec(s);
  if (angle) s = angle[1]!;
  s = s.replace(/^mailto:/i, '').replace(/^["']+|["']+$/g, '').trim().toLowerCase();
  s = s.replace(/\.+$/, '');
  if (s.length > 254) return { invalid: 'not_an_email' };
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return { invalid: 'not_an_email' };
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { invalid: 'not_an_email' };
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return { invalid: 'not_an_email' };
  if (/^\d+$/.test(labels[labels.length - 1]!)) return { invalid: 'not_an_email' };
  return { email: s, matchKey: emailMatchKey(s) };
}

const GMAIL = new Set(['gmail.com', 'googlemail.com']);
// Providers that deliver local+tag to local.
const PLUS_ADDRESSING = new Set([
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'fastmail.com',
  'protonmail.com',
  'proton.me',
]);

// Public mailbox providers, with every real domain of each (sina.cn and sina.com are both real),
// so that a real one is never taken for a slip of another.
const MAILBOX_PROVIDERS = new Set([
  'qq.com', 'vip.qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', '188.com', 'vip.163.com', 'vip.126.com',
  'sina.com', 'sina.cn', 'sina.com.cn', 'vip.sina.com', 'sohu.com', 'vip.sohu.com', '139.com', '189.cn', 'wo.cn',
  'aliyun.com', 'tom.com', '21cn.com', 'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com',
  'live.cn', 'msn.com', 'yahoo.com', 'icloud.com', 'me.com', 'mac.com', 'protonmail.com', 'proton.me',
]);
// A provider name this long is not one slip away from another real domain by chance (gmial,
// hotmai, outlok); shorter ones (qq, 163, me) are, so only their suffix may be mistyped.
const MIN_FOLDED_NAME = 5;


/**
 * The provider a mistyped mailbox domain was meant to be (163.con, qq.cm, gmial.com,
 * hotmai.com → 163.com, qq.com, gmail.com, hotmail.com), or the domain itself. Only one slip,
 * only towards a single provider, and a short provider name (qq, 163) only through its suffix.
 */
export function foldMailboxDomain(domain: string): string {
  if (MAILBOX_PROVIDERS.has(domain)) return domain;
  const dot = domain.indexOf('.');
  if (dot <= 0) return domain;
  const name = domain.slice(0, dot);
  const suffix = domain.slice(dot + 1);
  let found: string | undefined;
  for (const p of MAILBOX_PROVIDERS) {
    const pd = p.indexOf('.');
    const pName = p.slice(0, pd);
    const pSuffix = p.slice(pd + 1);
    const slip = (name === pName && oneEditApart(suffix, pSuffix)) || (suffix === pSuffix && pName.length >= MIN_FOLDED_NAME && oneEditApart(name, pName));
    if (!slip) continue;
    // sina.co is one slip from sina.cn and from sina.com: which one is a guess.
    if (found !== undefined) return domain;
    found = p;
  }
  return found ?? domain;
}

/**
 * A key under which aliases of one mailbox coincide: `Zhang.San+news@googlemail.com` and
 * `zhangsan@gmail.com`, and `zhang@163.con` and `zhang@163.com` (a provider's domain
 * mistyped, foldMailboxDomain). Only for matching; the stored identity keeps the address as given.
 */
export function emailMatchKey(email: string): string {
  const s = email.toLowerCase();
  const at = s.lastIndexOf('@');
  if (at < 0) return s;
  let local = s.slice(0, at);
  let domain = foldMailboxDomain(s.slice(at + 1));
  if (GMAIL.has(domain)) {
    domain = 'gmail.com';
    local = local.replace(/\./g, '');
  }
  if (PLUS_ADDRESSING.has(domain)) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  return `${local}@${domain}`;
}

