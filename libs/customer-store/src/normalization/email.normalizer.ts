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

/**
 * A key under which aliases of one mailbox coincide: `Zhang.San+news@googlemail.com` and
 * `zhangsan@gmail.com`. Only for matching; the stored identity keeps the address as given.
 */
export function emailMatchKey(email: string): string {
  const s = email.toLowerCase();
  const at = s.lastIndexOf('@');
  if (at < 0) return s;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
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
