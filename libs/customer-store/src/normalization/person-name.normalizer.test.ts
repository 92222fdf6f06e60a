import { describe, expect, it } from '@jest/globals';
import { encodeSyllables, isNicknameLike, normalizePersonName, surnameLength } from './person-name.normalizer.js';

describe('normalizePersonName', () => {
  it.each([
    ['张三', '张三'],
    ['張三', '张三'],
    [' 张 三 ', '张三'],
    ['张　三', '张三'],
    ['张三 ', '张三'],
    ['張偉', '张伟'],
    ['陳麗華', '陈丽华'],
    ['鄭國強', '郑国强'],
    ['歐陽娜娜', '欧阳娜娜'],
    ['諸葛亮', '诸葛亮'],
    ['张三(销售)', '张三'],
    ['李四【VIP】', '李四'],
    ['王先生', '王'],
    ['李女士', '李'],
    ['赵小姐', '赵'],
    ['刘总', '刘'],
    ['陈经理', '陈'],
    ['张老板', '张'],
    ['欧阳总', '欧阳'],
    ['张三先生', '张三'],
    ['李娜女士', '李娜'],
    ['阿卜杜·热合曼', '阿卜杜热合曼'],
    ['🌸张三🌸', '张三'],
  ])('%p has match key %p', (raw, key) => {
    expect(normalizePersonName(raw)?.matchKey).toBe(key);
  });

  it.each([
    ['张三'], ['張三'], ['Zhang San'], ['ZHANG San'], ['zhang san'], ['zhangsan'], ['ZHANGSAN'], ['Zhāng Sān'],
    ['ＺＨＡＮＧ　ＳＡＮ'], ['Zhang-San'], ['Mr. Zhang San'], ['Zhang·San'],
  ])('%p has the pinyin key of 张三', (raw) => {
    const name = normalizePersonName(raw);
    expect(name?.pinyin).toBe('zhangsan');
    expect(name?.pinyinInitials).toBe('zs');
    expect(name?.pinyinSyllables).toEqual(['zhang', 'san']);
  });

  it('encodes syllables one character each, the same for every reading of a name', () => {
    const han = encodeSyllables(normalizePersonName('欧阳明轩')!.pinyinSyllables);
    expect(han).toHaveLength(4);
    expect(encodeSyllables(normalizePersonName('Ouyang Mingxuan')!.pinyinSyllables)).toBe(han);
    expect(encodeSyllables(['zhang', 'wei'])).not.toBe(encodeSyllables(['zhang', 'wen']));
    // Readings outside the syllable table still get a character.
    expect(encodeSyllables(['ng'])).toHaveLength(1);
  });

  it('handles the surname/given order swap through pinyinSorted', () => {
    const han = normalizePersonName('张三')!;
    const swapped = normalizePersonName('San Zhang')!;
    expect(swapped.pinyin).not.toBe(han.pinyin);
    expect(swapped.pinyinSorted).toBe(han.pinyinSorted);
    expect(normalizePersonName('Xiaoming Wang')!.pinyinSorted).toBe(normalizePersonName('王小明')!.pinyinSorted);
  });

  it.each([
    ['欧阳娜娜', 'ouyangnana'],
    ['Ouyang Nana', 'ouyangnana'],
    ['司马光', 'simaguang'],
    ['诸葛亮', 'zhugeliang'],
    ['单田芳', 'shantianfang'],
    ['曾小贤', 'zengxiaoxian'],
    ['吕布', 'lubu'],
    ['Lü Bu', 'lubu'],
    ['Lv Bu', 'lubu'],
    ['Lu Bu', 'lubu'],
    ['Xi Jinping', 'xijinping'],
    ['王芳', 'wangfang'],
    ['Zhang San-Feng', 'zhangsanfeng'],
    ['张三丰', 'zhangsanfeng'],
  ])('%p reads %p', (raw, py) => {
    expect(normalizePersonName(raw)?.pinyin).toBe(py);
  });

  it('gives Western names a lower-case key and no pinyin', () => {
    expect(normalizePersonName('John  Smith')).toMatchObject({ matchKey: 'john smith', pinyin: '', script: 'latin', weak: false });
    expect(normalizePersonName('José Álvarez')?.matchKey).toBe('jose alvarez');
  });

  it('keeps the original script for display', () => {
    expect(normalizePersonName(' 張 三 ')?.display).toBe('張三');
    expect(normalizePersonName('ＺＨＡＮＧ　ＳＡＮ')?.display).toBe('ZHANG SAN');
  });

  it('returns the same frozen result for a repeated name', () => {
    const a = normalizePersonName('王芳');
    expect(normalizePersonName('王芳')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('keeps the Han part of a mixed name', () => {
    expect(normalizePersonName('张三 Tony')).toMatchObject({ matchKey: '张三', script: 'mixed', weak: false });
  });

  it.each([['王先生'], ['小王'], ['阿强'], ['Amy'], ['🌸莉莉🌸'], ['岁月静好'], ['Mr Zhang'], ['娜娜']])('%p is weak evidence', (raw) => {
    expect(normalizePersonName(raw)?.weak).toBe(true);
  });

  it.each([['张三'], ['欧阳娜娜'], ['Zhang San'], ['zhangsan'], ['John Smith'], ['阿卜杜·热合曼']])('%p is a real name', (raw) => {
    expect(normalizePersonName(raw)?.weak).toBe(false);
  });

  it.each([[''], ['  '], ['-'], ['未知'], ['无'], ['test'], ['null'], ['N/A'], ['😀'], ['👍👍'], ['()'], [undefined], [null], [{}], ['1111']])(
    '%p is not a name',
    (raw) => {
      expect(normalizePersonName(raw)).toBeUndefined();
    },
  );
});

describe('isNicknameLike', () => {
  it.each([
    ['😀小王'], ['小王'], ['老李'], ['阿强'], ['娜娜'], ['王先生'], ['李总'], ['张老板'], ['Amy'], ['Tony'], ['coco'],
    ['岁月静好'], ['快乐每一天'], ['平安是福'], ['海阔天空'], ['阳光'], ['简单'], ['向日葵'], ['王思思琪'], ['✨Lucky✨'], ['小王123'], ['A.'], ['Mr Zhang'], ['Tony张'], ['~静~'], ['a'],
  ])('%p is a nickname', (raw) => {
    expect(isNicknameLike(raw)).toBe(true);
  });

  it.each([
    ['张三'], ['張三'], ['王芳'], ['李娜'], ['欧阳娜娜'], ['司马光'], ['诸葛孔明'], ['Zhang San'], ['zhangsan'],
    ['San Zhang'], ['John Smith'], ['阿卜杜·热合曼'], ['张三丰'],
  ])('%p is not a nickname', (raw) => {
    expect(isNicknameLike(raw)).toBe(false);
  });

  it('says nothing about non-text', () => {
    expect(isNicknameLike(undefined)).toBe(false);
    expect(isNicknameLike('')).toBe(false);
  });
});

describe('surnameLength', () => {
  it.each([['欧阳娜娜', 2], ['司马光', 2], ['张三', 1], ['岁月', 0]])('%p → %p', (han, n) => {
    expect(surnameLength(han)).toBe(n);
  });
});
