import { describe, expect, it } from '@jest/globals';
import { normalizePhone, phoneIdentityValue, splitPhoneList, type NormalizedPhone } from './phone.normalizer.js';

const MOBILE = '+8613912345670';

describe('normalizePhone', () => {
  it.each([
    ['13912345670'],
    ['139 1234 5670'],
    ['139-1234-5670'],
    ['139.1234.5670'],
    ['(139)1234-5670'],
    ['+86 139 1234 5670'],
    ['+86-139-1234-5670'],
    ['+86 (139) 1234 5670'],
    ['0086 139 1234 5670'],
    ['0086-13912345670'],
    ['8613912345670'],
    ['86 139 1234 5670'],
    ['013912345670'],
    ['１３９１２３４５６７０'],
    ['＋８６ １３９ １２３４ ５６７０'],
    ['＋86－139－1234－5670'],
    ['139\u30001234\u30005670'],
    ['手机：13912345670'],
    ['Tel: +86 139 1234 5670'],
    ['13912345670 / 13812345670'],
    ['13912345670，13812345670'],
    [' 13912345670\u200b '],
    [13912345670],
  ])('reads %p as a mainland mobile', (raw) => {
    expect(normalizePhone(raw)).toMatchObject({ kind: 'mobile', e164: MOBILE, national: '13912345670', callingCode: '86', country: 'CN' });
  });

  it.each([
    ['010-65529988', '+861065529988'],
    ['(010) 6552 9988', '+861065529988'],
    ['（０１０）６５５２９９８８', '+861065529988'],
    ['+86 10 6552 9988', '+861065529988'],
    ['+86 (0)10 6552 9988', '+861065529988'],
    ['021-5888 6666', '+862158886666'],
    ['0755-8601 3388', '+8675586013388'],
    ['0571 8802 2088', '+8657188022088'],
  ])('reads landline %p', (raw, e164) => {
    expect(normalizePhone(raw)).toMatchObject({ kind: 'landline', e164 });
  });

  it.each([
    ['0755-86013388转8001', '8001'],
    ['0755-86013388 转 8001', '8001'],
    ['0755-86013388分机8001', '8001'],
    ['0755-86013388 ext. 8001', '8001'],
    ['0755-86013388#8001', '8001'],
    ['0755-86013388-8001', '8001'],
  ])('keeps the extension of %p', (raw, extension) => {
    const r = normalizePhone(raw) as NormalizedPhone;
    expect(r).toMatchObject({ kind: 'landline', e164: '+8675586013388', extension });
    expect(phoneIdentityValue(r)).toBe(`+8675586013388;ext=${extension}`);
  });

  it('reads its own identity values back unchanged', () => {
    for (const raw of ['0755-86013388转8001', '139 1234 5670', '+852 9123 4567']) {
      const value = phoneIdentityValue(normalizePhone(raw) as NormalizedPhone);
      expect(phoneIdentityValue(normalizePhone(value) as NormalizedPhone)).toBe(value);
    }
  });

  it('tells hotlines apart', () => {
    expect(normalizePhone('400-812-3123')).toMatchObject({ kind: 'tollfree', e164: '+864008123123' });
    expect(normalizePhone('800 820 8820')).toMatchObject({ kind: 'tollfree', e164: '+868008208820' });
  });

  it('reads other countries in international form, and others by default country', () => {
    expect(normalizePhone('+852 9123 4567')).toMatchObject({ kind: 'mobile', e164: '+85291234567', country: 'HK' });
    expect(normalizePhone('+1 (415) 555-2671')).toMatchObject({ kind: 'mobile', e164: '+14155552671', country: 'US' });
    expect(normalizePhone('(415) 555-2671', 'US')).toMatchObject({ e164: '+14155552671' });
    expect(normalizePhone('+44 20 7946 0958')).toMatchObject({ kind: 'landline', e164: '+442079460958' });
  });

  it.each([
    [undefined, 'empty'],
    [null, 'empty'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['138****5678', 'masked'],
    ['1381234****', 'masked'],
    ['138xxxx5678', 'masked'],
    ['１３８＊＊＊＊５６７８', 'masked'],
    ['未知', 'not_a_phone'],
    ['abc', 'not_a_phone'],
    ['1234', 'not_a_phone'],
    ['95588', 'invalid_number'],
    ['12345678901', 'invalid_number'],
    ['1391234567', 'invalid_number'],
    ['139123456700', 'invalid_number'],
    ['+86 139 1234', 'invalid_number'],
    [{ phone: '13912345670' }, 'empty'],
  ])('refuses %p (%s)', (raw, reason) => {
    expect(normalizePhone(raw)).toEqual({ invalid: reason });
  });
});

describe('normalizePhone mainland mobile fast path', () => {
  it('answers exactly as a full libphonenumber parse, for every five-digit prefix', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/core');
    const metadata = (await import('libphonenumber-js/metadata.max')).default;
    const mismatches: string[] = [];
    let seed = 7;
    const random6 = () => String((seed = (seed * 48271) % 2147483647) % 1_000_000).padStart(6, '0');
    for (let p = 13000; p < 20000; p++) {
      for (let k = 0; k < 3; k++) {
        const national = `${p}${random6()}`;
        const full = parsePhoneNumberFromString(`+86${national}`, metadata);
        const type = full?.isValid() ? full.getType() : undefined;
        const expected = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? `+86${national}` : 'not a mobile';
        const r = normalizePhone(national);
        const got = 'e164' in r && r.kind === 'mobile' ? r.e164 : 'not a mobile';
        if (got !== expected) mismatches.push(`${national}: ${got} ≠ ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('splitPhoneList', () => {
  it.each([
    ['13912345670 / 13812345670', ['13912345670', '13812345670']],
    ['13912345670，13812345670', ['13912345670', '13812345670']],
    ['13912345670；13812345670', ['13912345670', '13812345670']],
    ['13912345670、13812345670', ['13912345670', '13812345670']],
    ['13912345670 或 13812345670', ['13912345670', '13812345670']],
    ['13912345670 or 13812345670', ['13912345670', '13812345670']],
    ['手机：13912345670；座机：010-65529988', ['手机:13912345670', '座机:010-65529988']],
    // The masked one is a number too: the store records it as ignored, the fuzzy phone comparator still reads it.
    ['13912345670 / 138****5670', ['13912345670', '138****5670']],
  ])('gives every number %p lists', (raw, parts) => {
    expect(splitPhoneList(raw)).toEqual(parts);
    for (const p of parts) expect(normalizePhone(p)).toMatchObject(p.includes('*') ? { invalid: 'masked' } : { e164: expect.any(String) });
  });

  it.each([['13912345670'], ['0755-86013388/8001'], ['13912345670 / 未知'], ['139 1234 5670'], [13912345670], [undefined]])('leaves %p whole', (raw) => {
    expect(splitPhoneList(raw)).toEqual([raw]);
  });
});
