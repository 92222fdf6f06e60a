import { describe, expect, it } from '@jest/globals';
import { comparePersonNames, preparePersonName } from './person-name.comparator.js';

const sim = (a: string, b: string) => comparePersonNames(preparePersonName(a)!, preparePersonName(b)!);

describe('person names', () => {
  it('folds traditional characters, spaces and full-width forms', () => {
    expect(sim('張偉', '张伟')).toBe(1);
    expect(sim('张 伟', '张伟')).toBe(1);
  });

  it('matches pinyin across scripts and in either order', () => {
    expect(sim('张伟', 'Zhang Wei')).toBeGreaterThanOrEqual(0.94);
    expect(sim('Wei Zhang', '张伟')).toBeGreaterThanOrEqual(0.94);
  });

  it('treats homophones as weak evidence and different names as disagreement', () => {
    expect(sim('张伟', '章伟')).toBeLessThan(0.94);
    expect(sim('张伟', '章伟')).toBeGreaterThanOrEqual(0.85);
    expect(sim('张伟', '李娜')).toBeLessThan(0.5);
  });

  it('compares pinyin syllable by syllable, so a shared surname does not make two names alike', () => {
    // By letters these were 0.95 and 0.86: the surname is most of the string.
    expect(sim('Zhang Wei', 'Zhang Wen')).toBeLessThan(0.85);
    expect(sim('张伟', 'Zhang Feihao')).toBeLessThan(0.85);
    expect(sim('周华英', 'Zhouhuanfeng')).toBeLessThan(0.85);
    // One syllable of three differs: as far apart as 陈丽华 and 陈丽花.
    expect(sim('陈丽华', 'Chen Lihong')).toBeLessThan(0.85);
    expect(sim('Zhang Wei', 'Zhang Wen')).toBeCloseTo(sim('张伟', '张文'), 5);
    expect(sim('Zhang Xiaoming', '张晓明')).toBeGreaterThanOrEqual(0.94);
    expect(sim('zhangxiaoming', 'Zhang Xiaoming')).toBeGreaterThanOrEqual(0.94);
  });

  it('takes a Chinese name a character longer or shorter for another name', () => {
    // By Jaro-Winkler these were 0.91 (邓雨, 邓雨涵) and 0.87 across scripts: "close" beside a shared phone.
    expect(sim('邓雨', '邓雨涵')).toBeLessThan(0.85);
    expect(sim('邓雨', 'Deng Yuhan')).toBeLessThan(0.85);
    expect(sim('欧阳娜娜', '欧阳娜')).toBeLessThan(0.85);
    // The same name in either order or script is still the same.
    expect(sim('邓雨涵', 'Yuhan Deng')).toBeGreaterThanOrEqual(0.94);
  });

  it('keeps the letter comparison for Latin names that are not pinyin', () => {
    expect(sim('John Smith', 'Jon Smith')).toBeGreaterThanOrEqual(0.94);
    expect(sim('John Smith', 'Jane Smythe')).toBeLessThan(0.94);
  });

  it('drops nicknames and salutations as name evidence', () => {
    expect(preparePersonName('小王')).toBeUndefined();
    expect(preparePersonName('王先生')).toBeUndefined();
    expect(preparePersonName('')).toBeUndefined();
    expect(preparePersonName(undefined)).toBeUndefined();
  });
});
