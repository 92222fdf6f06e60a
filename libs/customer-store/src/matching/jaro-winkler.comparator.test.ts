import { describe, expect, it } from '@jest/globals';
import { jaro, jaroWinkler } from './jaro-winkler.comparator.js';

describe('jaroWinkler', () => {
  it('gives the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaro('martha', 'marhta')).toBeCloseTo(0.944, 3);
  });

  it('handles equal, empty and CJK strings', () => {
    expect(jaroWinkler('张伟', '张伟')).toBe(1);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('', '')).toBe(0);
    expect(jaroWinkler('张伟', '李娜')).toBe(0);
    expect(jaroWinkler('a'.repeat(200), 'a'.repeat(199) + 'b')).toBeGreaterThan(0.99);
  });
});
