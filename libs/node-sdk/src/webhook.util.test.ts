import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { PayloadError } from '@tributary/engine';
import { checkTimestamp, defaultDecode, header, hmac, safeEqual } from './webhook.util.js';

const req = (body: string, contentType?: string) => ({ headers: contentType ? { 'content-type': contentType } : {}, rawBody: Buffer.from(body) });

function payloadError(fn: () => unknown): PayloadError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PayloadError);
    return err as PayloadError;
  }
  throw new Error('expected a PayloadError');
}

describe('defaultDecode', () => {
  it('parses JSON objects and arrays, with or without charset and BOM', () => {
    expect(defaultDecode(req('{"a":1}', 'application/json; charset=utf-8'))).toEqual({ a: 1 });
    expect(defaultDecode(req('[{"a":1}]', 'application/vnd.api+json'))).toEqual([{ a: 1 }]);
    expect(defaultDecode(req('\ufeff{"b":2}', 'application/json'))).toEqual({ b: 2 });
    expect(defaultDecode(req('{"c":3}'))).toEqual({ c: 3 });
  });

  it('parses form bodies, repeated keys into arrays', () => {
    expect(defaultDecode(req('name=%E5%BC%A0%E4%B8%89&tag=a&tag=b&empty=', 'application/x-www-form-urlencoded'))).toEqual({ name: '张三', tag: ['a', 'b'], empty: '' });
  });

  it('turns an empty body into {}', () => {
    expect(defaultDecode(req('', 'application/json'))).toEqual({});
    expect(defaultDecode(req('  '))).toEqual({});
  });

  it('rejects malformed JSON, scalars and unknown content types with a reason', () => {
    expect(payloadError(() => defaultDecode(req('{"a":', 'application/json'))).message).toMatch(/^malformed JSON: /);
    expect(payloadError(() => defaultDecode(req('42', 'application/json'))).message).toMatch(/object or an array/);
    expect(payloadError(() => defaultDecode(req('<xml/>', 'text/xml'))).message).toMatch(/unsupported content-type "text\/xml"/);
    expect(payloadError(() => defaultDecode(req('hello'))).message).toMatch(/no content-type/);
  });
});

describe('safeEqual', () => {
  it('compares strings and buffers of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', Buffer.from('abc'))).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'a')).toBe(false);
  });
});

describe('hmac', () => {
  it('matches a known test vector (GitHub webhook docs)', () => {
    expect(hmac('sha256', "It's a Secret to Everybody", 'Hello, World!')).toBe('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it('supports the algorithms and encodings', () => {
    expect(hmac('sha1', 'k', 'd', 'base64')).toBe(createHmac('sha1', 'k').update('d').digest('base64'));
    expect(hmac('sha512', Buffer.from('k'), Buffer.from('d'))).toBe(createHmac('sha512', 'k').update('d').digest('hex'));
  });
});

describe('checkTimestamp', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const t = now.getTime() / 1000;
  it('accepts timestamps inside the window, as numbers or strings', () => {
    expect(checkTimestamp(t - 299, now, 300)).toEqual({ ok: true });
    expect(checkTimestamp(String(t + 10), now, 300)).toEqual({ ok: true });
  });
  it('rejects stale, future and missing timestamps', () => {
    expect(checkTimestamp(t - 301, now, 300)).toMatchObject({ ok: false, reason: expect.stringMatching(/stale timestamp/) });
    expect(checkTimestamp(t + 3600, now, 300)).toMatchObject({ ok: false });
    expect(checkTimestamp(undefined, now, 300)).toMatchObject({ ok: false, reason: 'missing or invalid timestamp' });
    expect(checkTimestamp('yesterday', now, 300)).toMatchObject({ ok: false });
  });
  it('is disabled by a tolerance of 0', () => {
    expect(checkTimestamp(0, now, 0)).toEqual({ ok: true });
  });
});

describe('header', () => {
  it('finds headers by any case', () => {
    expect(header({ headers: { 'x-signature': 'a' } }, 'X-Signature')).toBe('a');
    expect(header({ headers: { 'X-Odd': 'b' } }, 'x-odd')).toBe('b');
    expect(header({ headers: {} }, 'x')).toBeUndefined();
  });
});
