import { describe, expect, it } from '@jest/globals';
import { normalizeCompanyName } from './company-name.normalizer.js';

describe('normalizeCompanyName', () => {
  it.each([
    ['ABC科技', 'abc科技'],
    ['ABC科技有限公司', 'abc科技'],
    ['ABC（中国）科技有限公司', 'abc科技'],
    ['ＡＢＣ科技股份有限公司', 'abc科技'],
    ['ABC 科技 集团有限公司', 'abc科技'],
    ['Acme Co., Ltd.', 'acme'],
    ['ACME Inc', 'acme'],
    ['Acme Holdings Limited', 'acme'],
    ['A&B 贸易', 'a&b贸易'],
    ['A和B贸易', 'a&b贸易'],
  ])('%p → %p', (raw, key) => {
    expect(normalizeCompanyName(raw)).toBe(key);
  });

  it('keeps branches apart from their parent', () => {
    expect(normalizeCompanyName('ABC科技有限公司上海分公司')).not.toBe(normalizeCompanyName('ABC科技有限公司'));
  });

  it('returns nothing for empty values', () => {
    expect(normalizeCompanyName('  ')).toBeUndefined();
    expect(normalizeCompanyName(undefined)).toBeUndefined();
    expect(normalizeCompanyName('有限公司')).toBe('有限公司');
  });
});
