import { describe, expect, it } from '@jest/globals';
import { formatChinaTime, parseVendorTime } from './china-time.util.js';

describe('China time', () => {
  it('formats an instant as Beijing wall-clock time', () => {
    expect(formatChinaTime(new Date('2024-06-01T16:30:05Z'))).toBe('2024-06-02 00:30:05');
  });

  it('reads Unix seconds and milliseconds, Beijing wall-clock text, and ISO with offsets', () => {
    expect(parseVendorTime(1590567259)?.toISOString()).toBe('2020-05-27T08:14:19.000Z');
    expect(parseVendorTime('1590567259')?.toISOString()).toBe('2020-05-27T08:14:19.000Z');
    expect(parseVendorTime(1590567259000)?.toISOString()).toBe('2020-05-27T08:14:19.000Z');
    expect(parseVendorTime('2024-06-02 00:30:05')?.toISOString()).toBe('2024-06-01T16:30:05.000Z');
    expect(parseVendorTime('2024-06-02')?.toISOString()).toBe('2024-06-01T16:00:00.000Z');
    expect(parseVendorTime('2015-02-28T08:49:14+0000')?.toISOString()).toBe('2015-02-28T08:49:14.000Z');
  });

  it('gives undefined for empty or unreadable values', () => {
    for (const v of [undefined, null, '', 'soon', 0, {}]) expect(parseVendorTime(v)).toBeUndefined();
  });

  it('gives undefined, not an invalid Date whose toISOString throws, for a number past a Date’s range', () => {
    expect(parseVendorTime(1e21)).toBeUndefined();
    expect(parseVendorTime(1e300)).toBeUndefined();
  });
});
