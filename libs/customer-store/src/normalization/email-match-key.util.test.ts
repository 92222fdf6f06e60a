import { describe, expect, it } from '@jest/globals';
import { emailNearKey, isNearEmail } from './email-match-key.util.js';

const near = (a: string, b: string) => isNearEmail(emailNearKey(a)!, emailNearKey(b)!);

describe('email_near', () => {
  it('reads an address by its match key, and nothing from junk or non-addresses', () => {
    expect(emailNearKey(' Zhang.Wei+crm@Gmail.com ')).toBe('zhangwei@gmail.com');
    expect(emailNearKey('liu88@163.con')).toBe('liu88@163.com');
    expect(emailNearKey('test@test.com')).toBeUndefined();
    expect(emailNearKey('无')).toBeUndefined();
  });

  it.each([
    ['zhangwei88@qq.com', 'zhangwe88@qq.com'],
    ['zhangwei88@qq.com', 'zhangwie88@qq.com'],
    ['zhangwei88@qq.com', 'zhangwei89@qq.com'],
    ['liu_honghong9398@qq.com', 'liu_hongong9398@qq.com'],
    // Aliases folded first: only the slip remains.
    ['Zhang.Wei88+shop@gmail.com', 'zhangwe88@gmial.com'],
  ])('%p and %p are one slip apart', (a, b) => {
    expect(near(a, b)).toBe(true);
  });

  it.each([
    // Equal: the e-mail identity links those.
    ['zhangwei88@qq.com', 'ZhangWei88@QQ.com'],
    // Another domain, or two slips.
    ['zhangwei88@qq.com', 'zhangwe88@163.com'],
    ['zhangwei88@qq.com', 'zhangwi8@qq.com'],
    // Short local parts are one slip from someone else's.
    ['li88@qq.com', 'lu88@qq.com'],
    ['38461@qq.com', '38471@qq.com'],
  ])('%p and %p are not a near miss', (a, b) => {
    expect(near(a, b)).toBe(false);
  });
});
