import { describe, expect, it } from '@jest/globals';
import { normalizeIdentity, parseIdentityRef } from './identity.normalizer.js';

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
