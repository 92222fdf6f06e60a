import { describe, expect, it } from '@jest/globals';
import { emailMatchKey, normalizeEmail, splitEmailList } from './email.normalizer.js';

describe('normalizeEmail', () => {
  it.each([
    ['ZhangSan@Example.CN', 'zhangsan@example.cn'],
    ['  zhangsan@qq.com  ', 'zhangsan@qq.com'],
    ['ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ', 'zhangsan@qq.com'],
    ['zhangsan＠163。com', 'zhangsan@163.com'],
    ['张三 <ZhangSan@163.com>', 'zhangsan@163.com'],
    ['mailto:li.si@company.com.cn', 'li.si@company.com.cn'],
    ['"wangwu@sina.cn"', 'wangwu@sina.cn'],
    ['wangwu@sina.cn.', 'wangwu@sina.cn'],
    ['user@例子.中国', 'user@例子.中国'],
  ])('normalizes %p', (raw, email) => {
    expect(normalizeEmail(raw)).toMatchObject({ email });
  });

  it.each([
    [undefined, 'empty'],
    ['', 'empty'],
    ['zhangsan', 'not_an_email'],
    ['zhangsan@', 'not_an_email'],
    ['@qq.com', 'not_an_email'],
    ['zhang san@qq.com', 'not_an_email'],
    ['zhangsan@qq', 'not_an_email'],
    ['zhang..san@qq.com', 'not_an_email'],
    ['zhangsan@qq..com', 'not_an_email'],
    ['zhangsan@1.2.3.4', 'not_an_email'],
    ['无', 'not_an_email'],
  ])('refuses %p', (raw, reason) => {
    expect(normalizeEmail(raw)).toEqual({ invalid: reason });
  });

  it('folds provider aliases into the match key only', () => {
    expect(normalizeEmail('Zhang.San+news@googlemail.com')).toEqual({
      email: 'zhang.san+news@googlemail.com',
      matchKey: 'zhangsan@gmail.com',
    });
    expect(emailMatchKey('z.s@gmail.com')).toBe('zs@gmail.com');
    expect(emailMatchKey('zs+crm@outlook.com')).toBe('zs@outlook.com');
    // Dots matter outside Gmail, and + is not an alias everywhere.
    expect(emailMatchKey('z.s+x@qq.com')).toBe('z.s+x@qq.com');
  });

  it.each([
    ['zhang@163.con', 'zhang@163.com'],
    ['zhang@163.cm', 'zhang@163.com'],
    ['zhang@qq.cmo', 'zhang@qq.com'],
    ['zhang@gmial.com', 'zhang@gmail.com'],
    ['zhang@gmail.co', 'zhang@gmail.com'],
    ['z.hang+x@gmai.com', 'zhang@gmail.com'],
    ['zhang@hotmai.com', 'zhang@hotmail.com'],
    ['zhang@foxmial.com', 'zhang@foxmail.com'],
    ['zhang@vip.163.con', 'zhang@vip.163.com'],
  ])('folds the mistyped provider domain of %p into the match key', (raw, key) => {
    expect(normalizeEmail(raw)).toEqual({ email: raw, matchKey: key });
  });

  it.each([
    // Real domains: other providers, or a company one slip from a short provider name.
    'zhang@sina.cn',
    'zhang@sina.com.cn',
    'zhang@mi.com',
    'zhang@136.com',
    'zhang@qa.com',
    'zhang@corp-mail.cn',
    // One slip from two providers (sina.cn, sina.com): no guess.
    'zhang@sina.co',
  ])('leaves %p as it is', (raw) => {
    expect(emailMatchKey(raw)).toBe(raw);
  });
});

describe('splitEmailList', () => {
  it.each([
    ['a@x.cn; b@y.com', ['a@x.cn', 'b@y.com']],
    ['a@x.cn，b@y.com', ['a@x.cn', 'b@y.com']],
    ['a@x.cn b@y.com', ['a@x.cn', 'b@y.com']],
    ['a@x.cn 或 b@y.com', ['a@x.cn', 'b@y.com']],
    ['张三 <a@x.cn>, b@y.com', ['<a@x.cn>', 'b@y.com']],
  ])('gives every address %p lists', (raw, parts) => {
    expect(splitEmailList(raw)).toEqual(parts);
    for (const p of parts) expect(normalizeEmail(p)).toMatchObject({ email: expect.any(String) });
  });

  it.each([['a@x.cn'], ['张三 <a@x.cn>'], ['a@x.cn; not-an-address'], ['mailto:a@x.cn'], [undefined]])('leaves %p whole', (raw) => {
    expect(splitEmailList(raw)).toEqual([raw]);
  });
});
