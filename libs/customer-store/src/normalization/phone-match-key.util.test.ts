import { describe, expect, it } from '@jest/globals';
import { isNearPhone, phoneMatchKey } from './phone-match-key.util.js';

describe('phoneMatchKey', () => {
  it.each([
    ['13912345670', '13912345670'],
    ['+86 139 1234 5670', '13912345670'],
    ['0086-13912345670', '13912345670'],
    ['(86)13912345670', '13912345670'],
    ['１３９－１２３４－５６７０', '13912345670'],
    // A range libphonenumber does not know yet (or a data card) still compares digit by digit.
    ['149-5084-5007', '14950845007'],
  ])('reads the mobile %s as %s', (raw, key) => {
    expect(phoneMatchKey(raw)).toBe(key);
  });

  it.each([
    ['139****5670', '139****5670'],
    ['139xxxx5670', '139****5670'],
    ['+86 139 **** 5670', '139****5670'],
    ['１３９＊＊＊＊５６７０', '139****5670'],
    ['1391234****', '1391234****'],
  ])('keeps the visible digits of the masked %s', (raw, key) => {
    expect(phoneMatchKey(raw)).toBe(key);
  });

  it.each([[''], ['-'], ['无'], ['13800000000'], ['13800138000'], ['12345678901'], ['1**********'], ['139****'], ['4008001234'], ['hello']])(
    'gives nothing for %j',
    (raw) => {
      expect(phoneMatchKey(raw)).toBeUndefined();
    },
  );

  it('gives other valid numbers in E.164', () => {
    expect(phoneMatchKey('021-6234 5678')).toBe('+862162345678');
    expect(phoneMatchKey('+1 415 555 2671')).toBe('+14155552671');
  });
});

describe('isNearPhone', () => {
  it('is a consistent mask or one slip, never an equal full number or a stranger', () => {
    expect(isNearPhone('13912345670', '13912354670')).toBe(true); // 45 → 54
    expect(isNearPhone('13912345670', '13912345671')).toBe(true); // one digit
    expect(isNearPhone('13912345670', '139****5670')).toBe(true);
    expect(isNearPhone('139****5670', '13912345670')).toBe(true);
    expect(isNearPhone('139****5670', '139****5670')).toBe(true);
    // Equal numbers are the phone identity's to link.
    expect(isNearPhone('13912345670', '13912345670')).toBe(false);
    expect(isNearPhone('13912345670', '13954321670')).toBe(false);
    // Two changed digits that are not neighbours swapped.
    expect(isNearPhone('13912345670', '13912395610')).toBe(false);
    expect(isNearPhone('13912345670', '13912345607')).toBe(true);
    expect(isNearPhone('13912345670', '139****5671')).toBe(false);
    expect(isNearPhone('13912345670', '+862162345678')).toBe(false);
  });
});
