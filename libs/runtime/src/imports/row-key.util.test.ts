import { describe, expect, it } from '@jest/globals';
import { OccurrenceCounter, rowDedupeKey, rowDigest } from './row-key.util.js';

describe('row keys', () => {
  it('digest the content whatever the column order, and tell values apart exactly', () => {
    expect(rowDigest({ name: '张三', phone: '1' })).toEqual(rowDigest({ phone: '1', name: '张三' }));
    expect(rowDigest({ a: 'b=c' })).not.toEqual(rowDigest({ 'a=b': 'c' }));
    expect(rowDigest({ a: '1' })).not.toEqual(rowDigest({ a: '1', b: '' }));
    expect(rowDedupeKey(rowDigest({ a: '1' }), 2)).toMatch(/^row:[A-Za-z0-9_-]{43}:2$/);
  });

  it('counts occurrences of each digest through many growths of the table', () => {
    const counter = new OccurrenceCounter(4);
    const n = 100_000;
    for (let i = 0; i < n; i++) expect(counter.next(rowDigest({ i: String(i) }))).toBe(0);
    for (let i = 0; i < n; i += 7) expect(counter.next(rowDigest({ i: String(i) }))).toBe(1);
    expect(counter.next(rowDigest({ i: '0' }))).toBe(2);
  });
});
