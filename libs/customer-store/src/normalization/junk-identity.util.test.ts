import { describe, expect, it } from '@jest/globals';
import { isJunkIdentity } from './junk-identity.util.js';

describe('isJunkIdentity', () => {
  it.each([
    '13800000000', '13800138000', '00000000000', '11111111111', '13333333333', '18888888888',
    '15900000000', '12345678901', '1234567890', '98765432', '+86 138 0013 8000', '１３８００１３８０００',
    '400-812-3123', '800 820 8820', '0', '-', '--', '---', '0000',
    '000-0000-0000', '未知', '无', '暂无', '不详', '空', 'null', 'NULL', 'N/A', 'n/a', 'none', 'None',
    'undefined', 'unknown', 'test', '测试', '-1', ' ', '',
  ])('phone %p is junk', (value) => {
    expect(isJunkIdentity('phone', value)).toBe(true);
  });

  it.each([
    'test@test.com', 'TEST@TEST.COM', 'test@qq.com', 'zhangsan@example.com', 'a@example.org',
    'noreply@company.cn', 'no-reply@shop.com', 'abc@abc.com', 'xxx@xxx.com', 'aaa@163.com',
    '123@qq.com', '1234@foxmail.com', '123456@qq.com', 'user@shop.test', 'x@mail.example',
    'null', '无', 'n/a',
  ])('email %p is junk', (value) => {
    expect(isJunkIdentity('email', value)).toBe(true);
  });

  it.each(['未知', '无', '-', 'null', 'n/a', 'none', '0', 'aaaaaaaa', '0000000', 'x', 'anonymous', 'undefined'])(
    'any identity %p is junk',
    (value) => {
      expect(isJunkIdentity('wechat_unionid', value)).toBe(true);
    },
  );

  it.each([
    ['phone', '13912345670'],
    // Runs inside a real number are not placeholders: people have such numbers.
    ['phone', '+86 139-1234-5678'],
    ['phone', '13812345678'],
    ['phone', '010-12345678'],
    ['phone', '021-87654321'],
    ['phone', '+86 139 1234 5670'],
    ['phone', '010-65529988'],
    ['phone', '0755-86013388转8001'],
    ['email', 'zhangsan@qq.com'],
    ['email', '10086123@qq.com'],
    ['email', 'li.si@company.com.cn'],
    ['wechat_unionid', 'oAbC-1234567890xyz'],
    ['pos_member_id', 'M-000123'],
  ])('%s %p is a usable identity', (type, value) => {
    expect(isJunkIdentity(type, value)).toBe(false);
  });

  it('does not call an invalid phone junk: it is unusable for another reason', () => {
    expect(isJunkIdentity('phone', 'call me later')).toBe(false);
  });

  it('treats non-text values as junk', () => {
    expect(isJunkIdentity('phone', undefined)).toBe(true);
    expect(isJunkIdentity('email', { a: 1 })).toBe(true);
  });
});
