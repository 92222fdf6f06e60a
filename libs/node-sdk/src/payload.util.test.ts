import { describe, expect, it } from '@jest/globals';
import { PayloadError } from '@tributary/engine';
import { parseJsonLossless, toIsoTime } from './payload.util.js';

describe('parseJsonLossless', () => {
  it('keeps integers past 2^53 exact as strings and leaves the rest alone', () => {
    expect(parseJsonLossless('{"id":4561255354251345929,"n":42,"x":1.5,"s":"12345678901234567890","neg":-9007199254740993}')).toEqual({
      id: '4561255354251345929',
      n: 42,
      x: 1.5,
      s: '12345678901234567890',
      neg: '-9007199254740993',
    });
  });
  it('throws a PayloadError for malformed JSON', () => {
    expect(() => parseJsonLossless('{"a":')).toThrow(PayloadError);
  });
});

describe('toIsoTime', () => {
  it('reads ISO text, epoch seconds and milliseconds, and Beijing wall-clock time', () => {
    expect(toIsoTime('2026-11-22T08:00:00Z')).toBe('2026-11-22T08:00:00.000Z');
    expect(toIsoTime(1763798400)).toBe('2025-11-22T08:00:00.000Z');
    expect(toIsoTime('1763798400000')).toBe('2025-11-22T08:00:00.000Z');
    expect(toIsoTime('2026-11-22 16:00:00')).toBe('2026-11-22T08:00:00.000Z');
    expect(toIsoTime('someday')).toBeUndefined();
    expect(toIsoTime('')).toBeUndefined();
  });

  it('gives undefined, not a RangeError, for a number past a Date’s range', () => {
    // new Date(1e21).toISOString() throws: a signed webhook with such a time was a 500 the vendor retried forever.
    expect(toIsoTime(1e21)).toBeUndefined();
    expect(toIsoTime(-1e21)).toBeUndefined();
    expect(toIsoTime(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
  });
});
