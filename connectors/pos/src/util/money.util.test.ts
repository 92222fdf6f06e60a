import { describe, expect, it } from '@jest/globals';
import { cnyAmount, majorUnitsToDecimal, minorUnitsToDecimal } from './money.util.js';
import { parseJsonLossless } from '@tributary/node-sdk';

describe('amounts', () => {
  it('turns smallest-unit integers into decimal strings by currency', () => {
    expect(minorUnitsToDecimal(1250, 'USD')).toBe('12.50');
    expect(minorUnitsToDecimal(5, 'usd')).toBe('0.05');
    expect(minorUnitsToDecimal(-1999, 'EUR')).toBe('-19.99');
    expect(minorUnitsToDecimal(3200, 'JPY')).toBe('3200');
    expect(minorUnitsToDecimal(1234, 'KWD')).toBe('1.234');
    expect(minorUnitsToDecimal('90071992547409931', 'CNY')).toBe('900719925474099.31');
    expect(minorUnitsToDecimal(12.5, 'USD')).toBeUndefined();
    expect(minorUnitsToDecimal(undefined, 'USD')).toBeUndefined();
  });

  it('writes major-unit amounts with at least two decimals', () => {
    expect(majorUnitsToDecimal(86.5)).toBe('86.50');
    expect(majorUnitsToDecimal('128.00')).toBe('128.00');
    expect(majorUnitsToDecimal(0.1 + 0.2)).toBe('0.30');
    expect(majorUnitsToDecimal(7)).toBe('7.00');
    expect(majorUnitsToDecimal('abc')).toBeUndefined();
    // Past 2^53 a number has lost digits (and 1e21 would be written "1e+21.00"): no amount.
    expect(majorUnitsToDecimal(1e21)).toBeUndefined();
    expect(majorUnitsToDecimal(JSON.parse('12345678901234567890.0'))).toBeUndefined();
    expect(majorUnitsToDecimal('12345678901234567890.00')).toBe('12345678901234567890.00');
    expect(cnyAmount(8650, 'fen')).toBe('86.50');
    expect(cnyAmount(86.5, 'yuan')).toBe('86.50');
  });
});

describe('lossless JSON', () => {
  it('keeps integers past 2^53 exact and leaves the rest alone', () => {
    expect(parseJsonLossless('{"a":9223372036854775001,"b":42,"c":"9223372036854775001","d":1.5e300,"e":[-9007199254740993],"f":"x\\"9007199254740993"}')).toEqual({
      a: '9223372036854775001',
      b: 42,
      c: '9223372036854775001',
      d: 1.5e300,
      e: ['-9007199254740993'],
      f: 'x"9007199254740993',
    });
    expect(() => parseJsonLossless('{"a":')).toThrow(/malformed JSON/);
  });
});
