import { describe, expect, it } from '@jest/globals';
import { flattenAnswers, joinName, mapAnswers, squashLabel, standardFieldOf } from './form-fields.util.js';

describe('form answers that are numbers', () => {
  it('leaves out a whole number past 2^53 that arrived as a number (its digits are lost), in a list too', () => {
    const answers = JSON.parse('{"手机":12345678901234567890.0,"budget":50,"ids":[1e21,7],"tel":{"area":"0571","phone":9007199254740993.0}}');
    expect(flattenAnswers(answers)).toEqual([
      { key: 'budget', label: 'budget', value: 50 },
      { key: 'ids', label: 'ids', value: '7' },
      // Without its number the phone is no compound value; the area code stays an answer of its own.
      { key: 'tel.area', label: 'area', value: '0571' },
    ]);
  });
});

describe('form field defaults', () => {
  it('recognises labels whatever their case, spacing, brackets or Jotform prefix', () => {
    expect(squashLabel('手机号码（必填）')).toBe('手机号码');
    expect(squashLabel('Phone Number *')).toBe('phonenumber');
    expect(standardFieldOf('q5_phone_number')).toBe('phone');
    expect(standardFieldOf('E-mail:')).toBe('email');
    expect(standardFieldOf('公司名称')).toBe('company');
    expect(standardFieldOf('所在城市')).toBe('city');
    expect(standardFieldOf('Job Title')).toBe('title');
    expect(standardFieldOf('留言')).toBeUndefined();
  });

  it('falls back to a contained word: 您的手机号, Your email address, 公司电话 is a phone', () => {
    const fields = mapAnswers(flattenAnswers({ 您的手机号: '13912345670', 'Your email address': 'a@b.co', 贵公司全称: '某某公司', 联系人真实姓名: '张三' }));
    expect(fields).toEqual({ phone: '13912345670', email: 'a@b.co', company: '某某公司', name: '张三' });
    expect(mapAnswers(flattenAnswers({ 公司电话: '0571-88886666' }))).toEqual({ phone: '0571-88886666' });
  });

  it('joins name parts in the order the script writes them', () => {
    expect(joinName('三', '张')).toBe('张三');
    expect(joinName('Ada', 'Lovelace')).toBe('Ada Lovelace');
    expect(mapAnswers(flattenAnswers({ first_name: 'Ada', last_name: 'Lovelace' }))).toEqual({ name: 'Ada Lovelace' });
    expect(mapAnswers(flattenAnswers({ 姓: '张', 名: '三' }))).toEqual({ name: '张三' });
  });

  it('flattens nested objects, label/value arrays, value lists and phone parts', () => {
    expect(flattenAnswers({ a: { b: { c: 1 } }, list: ['x', '', 'y'], tel: { area: '0571', phone: '88886666' }, empty: '  ', n: null })).toEqual([
      { key: 'a.b.c', label: 'c', value: 1 },
      { key: 'list', label: 'list', value: 'x, y' },
      { key: 'tel', label: 'tel', value: '057188886666' },
    ]);
    expect(flattenAnswers({ fields: [{ title: 'City', value: 'Paris' }, { foo: 1 }] })).toEqual([
      { key: 'City', label: 'City', value: 'Paris' },
      { key: 'fields.1.foo', label: 'foo', value: 1 },
    ]);
  });

  it('keeps booleans out of standard fields and reserved names out of the way', () => {
    expect(mapAnswers(flattenAnswers({ email: true, raw: 'x', eventType: 'y' }))).toEqual({ email: true, form_raw: 'x', form_eventType: 'y' });
  });
});
