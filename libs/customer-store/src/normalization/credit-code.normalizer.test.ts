import { describe, expect, it } from '@jest/globals';
import { normalizeCreditCode } from './credit-code.normalizer.js';

describe('normalizeCreditCode', () => {
  // Published codes of real legal entities: the check character (GB 32100-2015) must agree.
  it.each([['91350100M000100Y43'], ['91110000802100433B'], ['91440300708461136T'], ['914403001922038216'], ['91310000717854505W']])('accepts %s', (code) => {
    expect(normalizeCreditCode(code)).toEqual({ code });
  });

  it('reads the forms people type', () => {
    for (const raw of ['9135 0100 M000 100Y43', '91350100-M000100Y43', '91350100m000100y43', '９１３５０１００Ｍ０００１００Ｙ４３', ' 91350100M000100Y43 ']) {
      expect(normalizeCreditCode(raw)).toEqual({ code: '91350100M000100Y43' });
    }
  });

  it('refuses typos, other lengths, letters the code never uses, and nothing', () => {
    expect(normalizeCreditCode('91350100M000100Y44')).toEqual({ invalid: 'bad_check_character' });
    expect(normalizeCreditCode('91350100M000100Y4')).toEqual({ invalid: 'not_a_credit_code' });
    expect(normalizeCreditCode('91350100M000100I43')).toEqual({ invalid: 'not_a_credit_code' });
    expect(normalizeCreditCode('913501OOM000100Y43')).toEqual({ invalid: 'not_a_credit_code' });
    expect(normalizeCreditCode('')).toEqual({ invalid: 'empty' });
    expect(normalizeCreditCode(undefined)).toEqual({ invalid: 'empty' });
  });
});
