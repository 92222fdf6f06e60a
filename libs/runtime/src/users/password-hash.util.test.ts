import { describe, expect, it } from '@jest/globals';
import { hashPassword, verifyPassword } from './password-hash.util.js';

// Small parameters keep the test quick; the format and the checks are the same as the default's.
const FAST = { ln: 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('correct horse battery', FAST);
    expect(hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash, so one password gives different hashes', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('reads the parameters from the stored hash (the default ones too)', async () => {
    const strong = await hashPassword('密码也可以是中文的');
    expect(strong.startsWith('scrypt$ln=15,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('密码也可以是中文的', strong)).toBe(true);
  });

  it('treats composed and decomposed Unicode as one password', async () => {
    const hash = await hashPassword('caf\u00e9-latte', FAST);
    expect(await verifyPassword('cafe\u0301-latte', hash)).toBe(true);
  });

  it('never matches a malformed or truncated hash', async () => {
    const hash = await hashPassword('something long', FAST);
    expect(await verifyPassword('something long', hash.slice(0, hash.lastIndexOf('$') + 2))).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
  });
});
