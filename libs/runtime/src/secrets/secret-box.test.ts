import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError, decryptSecrets, encryptSecrets } from './secret-box.js';
import { REDACTED, createRedactor, redactSecrets } from './redact-secrets.util.js';

const key = randomBytes(32);
const secrets = { token: 'tok_live_abcdef123456', appSecret: 'ü-secret "quoted"', nested: { pin: 98765 } };

describe('secret box', () => {
  it('round-trips a JSON object with a fresh IV each time', () => {
    const a = encryptSecrets(key, secrets);
    const b = encryptSecrets(key, secrets);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('tok_live');
    expect(decryptSecrets(key, a)).toEqual(secrets);
    expect(new SecretBox(key).decrypt(new SecretBox(key).encrypt(secrets))).toEqual(secrets);
  });

  it('refuses a wrong key', () => {
    const box = encryptSecrets(key, secrets);
    expect(() => decryptSecrets(randomBytes(32), box)).toThrow(SecretBoxError);
    expect(() => decryptSecrets(randomBytes(32), box)).toThrow(/wrong TRIBUTARY_SECRET_KEY or the data was altered/);
  });

  it('refuses any tampering: ciphertext, tag, IV, truncation', () => {
    const box = encryptSecrets(key, secrets);
    const raw = Buffer.from(box.slice(3), 'base64');
    for (const at of [0, 12, 20, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[at]! ^= 0x01;
      expect(() => decryptSecrets(key, `v1:${t.toString('base64')}`)).toThrow(SecretBoxError);
    }
    expect(() => decryptSecrets(key, `v1:${raw.subarray(0, 20).toString('base64')}`)).toThrow(/truncated/);
    expect(() => decryptSecrets(key, `v1:${raw.subarray(0, raw.length - 1).toString('base64')}`)).toThrow(SecretBoxError);
  });

  it('binds to its associated data when given', () => {
    const box = encryptSecrets(key, secrets, 'conn_1');
    expect(decryptSecrets(key, box, 'conn_1')).toEqual(secrets);
    expect(() => decryptSecrets(key, box, 'conn_2')).toThrow(SecretBoxError);
    expect(() => decryptSecrets(key, box)).toThrow(SecretBoxError);
  });

  it('refuses unknown formats and bad keys', () => {
    expect(() => decryptSecrets(key, 'v9:abcd')).toThrow(/unknown secret format "v9"/);
    expect(() => decryptSecrets(key, '{"token":"plain"}')).toThrow(/unknown secret format/);
    expect(() => encryptSecrets(randomBytes(16), secrets)).toThrow(/32 bytes/);
    expect(() => new SecretBox(Buffer.alloc(31))).toThrow(SecretBoxError);
  });
});

describe('redactSecrets', () => {
  it('replaces secret values in strings, JSON text, URLs, nested objects and errors', () => {
    expect(redactSecrets('401 for token tok_live_abcdef123456!', secrets)).toBe(`401 for token ${REDACTED}!`);
    expect(redactSecrets(JSON.stringify({ body: secrets }), secrets)).not.toMatch(/tok_live|ü-secret|98765/);
    expect(redactSecrets(`https://x.test/?s=${encodeURIComponent(secrets.appSecret)}`, secrets)).toBe(`https://x.test/?s=${REDACTED}`);
    const input = { url: 'https://api.test/?key=tok_live_abcdef123456', list: ['pin 98765', 3, null, true], keep: 'public' };
    expect(redactSecrets(input, secrets)).toEqual({ url: `https://api.test/?key=${REDACTED}`, list: [`pin ${REDACTED}`, 3, null, true], keep: 'public' });
    expect(input.url).toContain('tok_live'); // the input is not modified

    const err = new TypeError('call failed with tok_live_abcdef123456');
    const red = redactSecrets(err, secrets);
    expect(red).toBeInstanceOf(TypeError);
    expect(red.message).toBe(`call failed with ${REDACTED}`);
    expect(red.stack).not.toContain('tok_live');
  });

  it('accepts a list of values, ignores very short ones, and survives cycles', () => {
    const redact = createRedactor(['longer-secret', 'ab', 'longer-secret-2']);
    expect(redact('ab longer-secret-2 longer-secret')).toBe(`ab ${REDACTED} ${REDACTED}`);
    const cyclic: Record<string, unknown> = { s: 'longer-secret' };
    cyclic.self = cyclic;
    const out = redact(cyclic);
    expect(out.s).toBe(REDACTED);
    expect(out.self).toBe(out);
    expect(redactSecrets({ a: 'x' }, undefined)).toEqual({ a: 'x' });
  });
});
