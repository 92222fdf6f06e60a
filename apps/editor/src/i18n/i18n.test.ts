import { describe, expect, it } from '@jest/globals';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';
import { initialLanguage } from './initial-language.util.js';

/** Leaf keys with the plural suffix removed: zh has only `_other` where en has `_one` and `_other`. */
function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k.replace(/_(one|other)$/, '')}`] : keys(v as object, `${prefix}${k}.`),
  );
}

describe('translations', () => {
  it('have the same keys in English and Chinese', () => {
    expect([...new Set(keys(zhCN))].sort()).toEqual([...new Set(keys(en))].sort());
  });
});

describe('initialLanguage', () => {
  it('prefers the remembered choice, then the browser language', () => {
    expect(initialLanguage('en', 'zh-TW')).toBe('en');
    expect(initialLanguage(null, 'zh-CN')).toBe('zh-CN');
    expect(initialLanguage(null, 'zh')).toBe('zh-CN');
    expect(initialLanguage('fr', 'en-GB')).toBe('en');
    expect(initialLanguage(null, undefined)).toBe('en');
  });
});
