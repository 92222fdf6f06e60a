import { describe, expect, it } from '@jest/globals';
import { arr, compact, fullName, obj, text } from './item-fields.util.js';
import { utcIsoTime } from './payload.util.js';

describe('item fields', () => {
  it('reads scalars as trimmed text, ids with every digit', () => {
    expect(text('  张三 ')).toBe('张三');
    expect(text('   ')).toBeUndefined();
    expect(text(1234567890123)).toBe('1234567890123');
    expect(text(9007199254740993n)).toBe('9007199254740993');
    expect(text(true)).toBeUndefined();
    expect(text({ a: 1 })).toBeUndefined();
  });

  it('gives no id for a whole number past 2^53 that arrived as a number: its digits are lost', () => {
    // The lossless parser keeps a run of digits exact; `9007199254740993.0` or `1e21` still reach a double.
    const { id, big, small } = JSON.parse('{"id":9007199254740993.0,"big":1e21,"small":-9007199254740991}') as Record<string, number>;
    expect(id).toBe(9007199254740992);
    expect(text(id)).toBeUndefined();
    expect(text(big)).toBeUndefined();
    expect(text(small)).toBe('-9007199254740991');
    expect(text(86.5)).toBe('86.5');
    expect(utcIsoTime(1e21)).toBeUndefined();
  });

  it('gives empty objects and arrays for what a payload left out, drops undefined fields, joins names', () => {
    expect(obj(null)).toEqual({});
    expect(obj([1])).toEqual({});
    expect(arr('x')).toEqual([]);
    expect(compact({ a: 1, b: undefined, c: null })).toEqual({ a: 1, c: null });
    expect(fullName(' Li ', '', undefined, 'Lei')).toBe('Li Lei');
    expect(fullName('', null)).toBeUndefined();
  });

  it('reads vendor times as UTC when they carry no offset', () => {
    expect(utcIsoTime('2026-03-02T17:58:00+08:00')).toBe('2026-03-02T09:58:00.000Z');
    expect(utcIsoTime('2013-12-12T05:35Z')).toBe('2013-12-12T05:35:00.000Z');
    expect(utcIsoTime('2026-03-02 17:58:00')).toBe('2026-03-02T17:58:00.000Z');
    expect(utcIsoTime(1767225600)).toBe('2026-01-01T00:00:00.000Z');
    expect(utcIsoTime('soon')).toBeUndefined();
  });
});
