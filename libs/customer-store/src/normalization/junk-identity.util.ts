import { isNormalizedEmail, normalizeEmail } from './email.normalizer.js';
import { isNormalizedPhone, normalizePhone, type NormalizedPhone } from './phone.normalizer.js';
import { asText, toHalfWidth } from './text.normalizer.js';

// One hard-coded placeholder can merge hundreds of people into one profile (Segment's
// warning), so these never identify anyone, whatever the identity type.
const PLACEHOLDERS = new Set([
  '', '-', '--', '---', '_', '.', '..', '...', '/', '\\', '?', '??', '0', '-1', '#', 'x',
  'null', 'nil', 'none', 'n/a', 'na', 'n.a.', 'nan', 'undefined', 'unknown', 'unknow',
  'anonymous', 'anon', 'test', 'testing', 'demo', 'sample', 'void', 'abc', 'abc123', 'asdf',
  'qwerty', 'xxx', 'tbd', 'todo', 'empty', 'blank', 'no', 'false', 'true', 'default',
  '未知', '无', '無', '暂无', '暫無', '没有', '沒有', '不详', '不詳', '空', '未填', '未填写',
  '未填寫', '保密', '匿名', '测试', '測試', '略', '不知道', '不清楚', '其他', '其它',
]);

// Local parts that are roles, robots or placeholders rather than a person.
const JUNK_EMAIL_LOCAL = new Set([
  'test', 'testing', 'tester', 'noreply', 'no-reply', 'no_reply', 'donotreply', 'do-not-reply',
  'do_not_reply', 'null', 'none', 'nobody', 'unknown', 'example', 'sample', 'demo', 'xxx', 'asdf',
  'qwerty', 'abc', 'abc123', 'mailer-daemon', 'postmaster', 'a', 'aa', 'aaa',
]);
// Reserved (RFC 2606/6761) and obviously fake domains.
const JUNK_EMAIL_DOMAIN = new Set([
  'example.com', 'example.org', 'example.net', 'example.cn', 'test.com', 'test.cn', 'test.net',
  'localhost', 'localdomain', 'invalid', 'xxx.com', 'abc.com', 'email.test', 'domain.com',
]);
const RESERVED_TLD = /\.(?:test|example|invalid|localhost|local)$/;

/**
 * Whether a value must never be used as an identity key: placeholders (未知, 无, n/a, -),
 * all-zero or one-character runs, test phone numbers (13800000000, 13800138000, 12345678901),
 * 400/800 hotlines, test@test.com and example.com addresses. Takes raw or normalized values.
 */
export function isJunkIdentity(type: string, value: unknown): boolean {
  const text = asText(value);
  if (text === undefined) return true;
  const v = toHalfWidth(text).trim().toLowerCase();
  if (isPlaceholder(v)) return true;
  switch (type.trim().toLowerCase()) {
    case 'phone': {
      const phone = normalizePhone(text);
      if (isNormalizedPhone(phone)) return isJunkPhone(phone);
      // Not a valid number, but typed as a placeholder all the same: 12345678901, 1111111.
      return 'invalid' in phone && phone.invalid !== 'masked' && isJunkDigits(v.replace(/[\s\-()+]/g, ''));
    }
    case 'email': {
      const email = normalizeEmail(text);
      return isNormalizedEmail(email) ? isJunkEmail(email.email) : false;
    }
    default:
      return false;
  }
}

function isPlaceholder(v: string): boolean {
  if (PLACEHOLDERS.has(v) || [...v].length < 2) return true;
  // Segment's suggested block pattern ^[0-]*$, plus one character repeated (aaaa, 1111, ----).
  if (/^[0\-\s]*$/.test(v)) return true;
  return /^(.)\1+$/su.test(v.replace(/\s+/g, ''));
}

function isJunkDigits(digits: string): boolean {
  return /^\d{6,}$/.test(digits) && (/^(\d)\1+$/.test(digits) || isSequence(digits));
}

/** Test numbers, repeated or sequential digits, and hotlines that reach a company, not a person. */
export function isJunkPhone(phone: NormalizedPhone): boolean {
  if (phone.kind === 'tollfree') return true;
  const n = phone.national;
  if (/^(\d)\1+$/.test(n) || isSequence(n)) return true;
  if (phone.callingCode === '86') {
    // China Mobile's service number is the classic "test" entry.
    if (n === '13800138000') return true;
    // 1 followed by ten of one digit, or a prefix followed by eight of one digit: 13333333333, 13800000000, 18888888888.
    if (/^1(\d)\1{9}$/.test(n) || /^1\d\d(\d)\1{7}$/.test(n)) return true;
  }
  return false;
}

/**
 * The whole string counts up or down one digit at a time (9 wraps to 0): 12345678901,
 * 87654321. A run inside a real number (139 1234 5678) is left alone: people have those.
 */
function isSequence(digits: string): boolean {
  if (digits.length < 5) return false;
  const step = (i: number) => (digits.charCodeAt(i) - digits.charCodeAt(i - 1) + 10) % 10;
  const first = step(1);
  if (first !== 1 && first !== 9) return false;
  for (let i = 2; i < digits.length; i++) if (step(i) !== first) return false;
  return true;
}

/** Role, robot and placeholder addresses, reserved domains, and QQ numbers too short to exist. */
export function isJunkEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (JUNK_EMAIL_LOCAL.has(local) || JUNK_EMAIL_DOMAIN.has(domain) || RESERVED_TLD.test(domain)) return true;
  if (isPlaceholder(local)) return true;
  // QQ numbers start at 10000: 123@qq.com is typed by people who do not want to give one.
  if ((domain === 'qq.com' || domain === 'foxmail.com') && /^\d{1,4}$/.test(local)) return true;
  if (/^\d+$/.test(local) && isSequence(local)) return true;
  return false;
}
