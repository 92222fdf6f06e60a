import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { keruyunVector } from '../__fixtures__/keruyun-pushes.js';
import { keruyunSign, keruyunSignsBody, verifyKeruyunSign } from './keruyun-sign.util.js';

describe('Keruyun sign', () => {
  it('reproduces the documented v1 vector', () => {
    expect(keruyunSign(keruyunVector.params, keruyunVector.token)).toBe(keruyunVector.sign);
    expect(createHash('sha256').update(keruyunVector.concatenated + keruyunVector.token).digest('hex')).toBe(keruyunVector.sign);
    expect(verifyKeruyunSign({ ...keruyunVector.params, sign: keruyunVector.sign }, keruyunVector.token, '{"orderId":"f14cfdb04119451998200d1a83f785da"}')).toBe(true);
    expect(verifyKeruyunSign({ ...keruyunVector.params, sign: keruyunVector.sign.toUpperCase() }, keruyunVector.token, '{}')).toBe(true);
  });

  it('sorts by parameter name whatever the query order, and leaves the v1 body unsigned', () => {
    const shuffled = { version: '1.0', timestamp: '1425635264', shopIdenty: '247900001', appKey: '301001', sign: keruyunVector.sign };
    expect(verifyKeruyunSign(shuffled, keruyunVector.token, 'any body')).toBe(true);
  });

  it('refuses a wrong token, a changed parameter or a missing sign', () => {
    expect(verifyKeruyunSign({ ...keruyunVector.params, sign: keruyunVector.sign }, '66e53b22f1496d183e71b4ab90f4acf8', '{}')).toBe(false);
    expect(verifyKeruyunSign({ ...keruyunVector.params, shopIdenty: '247900002', sign: keruyunVector.sign }, keruyunVector.token, '{}')).toBe(false);
    expect(verifyKeruyunSign({ ...keruyunVector.params }, keruyunVector.token, '{}')).toBe(false);
  });

  it('signs parameters + "body" + raw body + token under rule v2', () => {
    const params = { ...keruyunVector.params, version: '2.0' };
    const body = '{"aaa":1}';
    const expected = createHash('sha256').update(`appKey301001shopIdenty247900001timestamp1425635264version2.0body${body}${keruyunVector.token}`).digest('hex');
    expect(keruyunSignsBody(params)).toBe(true);
    expect(keruyunSign(params, keruyunVector.token, body)).toBe(expected);
    expect(verifyKeruyunSign({ ...params, sign: expected }, keruyunVector.token, body)).toBe(true);
    expect(verifyKeruyunSign({ ...params, sign: expected }, keruyunVector.token, '{"aaa":2}')).toBe(false);
  });
});
