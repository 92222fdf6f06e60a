import { describe, expect, it } from '@jest/globals';
import { MAX_LISTED_VALUES, normalizeIdentity, parseIdentityRef, splitIdentityList } from './identity.normalizer.js';

describe('normalizeIdentity', () => {
  it('keys phones by E.164 and keeps the raw value', () => {
    expect(normalizeIdentity('Phone', '０１３９-１２３４-５６７０')).toEqual({
      type: 'phone',
      value: '+8613912345670',
      raw: '０１３９-１２３４-５６７０',
      matchKey: null,
      phoneKind: 'mobile',
    });
    expect(normalizeIdentity('phone', '0755-86013388转8001')).toMatchObject({ value: '+8675586013388;ext=8001', phoneKind: 'landline' });
  });

  it('keys e-mails lower-case with a match key for provider aliases', () => {
    expect(normalizeIdentity('email', ' Zhang.San@GMAIL.com ')).toMatchObject({ value: 'zhang.san@gmail.com', matchKey: 'zhangsan@gmail.com' });
    expect(normalizeIdentity('email', 'zs@qq.com')).toMatchObject({ value: 'zs@qq.com', matchKey: null });
  });

  it('keeps the case of opaque ids', () => {
    expect(normalizeIdentity('wechat_openid', ' oAbCdEf123－XYZ ')).toMatchObject({ value: 'oAbCdEf123-XYZ' });
  });

  it.each([
    ['phone', '13800138000', 'junk'],
    ['phone', '未知', 'junk'],
    ['phone', '138****5678', 'masked'],
    ['phone', '95588', 'invalid_number'],
    ['phone', 'call me', 'not_a_phone'],
    ['phone', '', 'empty'],
    ['email', 'test@test.com', 'junk'],
    ['email', 'n/a', 'junk'],
    ['email', 'zhangsan', 'not_an_email'],
    ['wechat_unionid', '无', 'junk'],
    ['Bad Type', 'x', 'bad_type'],
    ['pos:member', '123', 'bad_type'],
  ])('%s %p is rejected as %s', (type, raw, reason) => {
    expect(normalizeIdentity(type, raw)).toMatchObject({ reason });
  });

  it('parses type:value references', () => {
    expect(parseIdentityRef('wechat_unionid:o:AbC')).toEqual({ type: 'wechat_unionid', value: 'o:AbC' });
    expect(parseIdentityRef('phone')).toBeUndefined();
    expect(parseIdentityRef(':x')).toBeUndefined();
  });
});

describe('splitIdentityList', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => `1392468${7000 + i}`);
  it('lists up to MAX_LISTED_VALUES values of one person; a longer list is pasted, and identifies nobody', () => {
    expect(MAX_LISTED_VALUES).toBe(10);
    expect(splitIdentityList('phone', numbers(10).join(' / '))).toEqual(numbers(10));
    const pasted = numbers(11).join('，');
    const [one, ...rest] = splitIdentityList('phone', pasted);
    expect(rest).toEqual([]);
    expect(normalizeIdentity('phone', one)).toEqual({ type: 'phone', raw: pasted, reason: 'list' });
    const mails = Array.from({ length: 12 }, (_, i) => `user${i}@corp.cn`).join('; ');
    expect(normalizeIdentity('email', splitIdentityList('email', mails)[0])).toMatchObject({ reason: 'list' });
    // Other types are never split: an opaque id is one token, however it looks.
    expect(splitIdentityList('pos_member_id', numbers(20).join('/'))).toEqual([numbers(20).join('/')]);
  });
});
