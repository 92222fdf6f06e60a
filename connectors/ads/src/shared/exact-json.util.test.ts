import { describe, expect, it } from '@jest/globals';
import { Int64, parseJsonExact, stringifyWithInt64 } from './exact-json.util.js';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 as exact strings and leaves safe numbers alone', () => {
    expect(parseJsonExact('{"a":4561255354251345929,"b":123,"c":-9007199254740993,"d":1.5e3,"e":9007199254740991}')).toEqual({
      a: '4561255354251345929',
      b: 123,
      c: '-9007199254740993',
      d: 1500,
      e: 9007199254740991,
    });
  });

  it('does not touch digits inside strings, escaped quotes included', () => {
    expect(parseJsonExact('{"s":"id 12345678901234567890 \\" 98765432109876543210","n":[12345678901234567890]}')).toEqual({
      s: 'id 12345678901234567890 " 98765432109876543210',
      n: ['12345678901234567890'],
    });
  });

  it('keeps decimals as numbers even when long', () => {
    expect(parseJsonExact('[1234567890123456789.5]')).toEqual([1234567890123456789.5]);
  });

  it('throws on malformed JSON like JSON.parse', () => {
    expect(() => parseJsonExact('{"a":')).toThrow(SyntaxError);
  });
});

describe('stringifyWithInt64', () => {
  it('writes Int64 values as bare number literals, exact', () => {
    expect(stringifyWithInt64({ id: new Int64('1234567890123456789'), s: 'x', n: [new Int64('-5')] })).toBe('{"id":1234567890123456789,"s":"x","n":[-5]}');
  });

  it('leaves a string that only looks like the marker alone', () => {
    expect(stringifyWithInt64({ s: 'int64:abc:1' })).toBe('{"s":"int64:abc:1"}');
  });

  it('refuses a non-integer', () => {
    expect(() => new Int64('12a')).toThrow(TypeError);
  });
});
