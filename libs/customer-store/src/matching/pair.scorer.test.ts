import { describe, expect, it } from '@jest/globals';
import { DEFAULT_MATCH_CONFIG } from './default-match.config.js';
import { blockingKeys, soundex } from './blocking-key.util.js';
import { compareDates, prepareField } from './field.comparator.js';
import type { MatchConfig, MatchRecord } from './match.types.js';
import { compileConfig, prepareRecord, scorePair } from './pair.scorer.js';

const rec = (id: string, fields: Record<string, string>, identities: { type: string; value: string }[] = []): MatchRecord => ({ id, identities, fields });

describe('scorePair', () => {
  it('sums agreement weights with one reason per compared field', () => {
    const a = rec('a', { name: '張偉', company: '腾讯科技（中国）有限公司', city: '深圳市' }, [{ type: 'phone', value: '+8613912345678' }]);
    const b = rec('b', { name: '张伟', company: '腾讯科技', city: '深圳' }, [{ type: 'phone', value: '+8613912345678' }]);
    const { score, reasons } = scorePair(a, b, DEFAULT_MATCH_CONFIG);
    expect(score).toBe(5 + 3 + 1);
    expect(reasons[0]).toMatchObject({ rule: 'identifier:phone', field: 'phone' });
    expect(reasons.filter((r) => r.rule === 'fuzzy').map((r) => r.field)).toEqual(['name', 'company', 'city']);
  });

  it('leaves missing fields out and subtracts disagreement', () => {
    const { score, reasons } = scorePair(rec('a', { name: '张伟', city: '北京' }), rec('b', { name: '张伟', city: '上海' }), DEFAULT_MATCH_CONFIG);
    expect(score).toBe(5 - 3);
    expect(reasons.find((r) => r.field === 'city')?.detail).toContain('disagrees');
  });

  it('counts swapped given name and surname through swapWith', () => {
    const config: MatchConfig = {
      identifiers: [],
      fuzzy: {
        fields: [
          { field: 'given_name', comparator: 'jaro_winkler', agreeWeight: 2, disagreeWeight: -2, swapWith: 'surname' },
          { field: 'surname', comparator: 'jaro_winkler', agreeWeight: 2, disagreeWeight: -2, swapWith: 'given_name' },
        ],
        blocking: [{ name: 'names', fields: [{ field: 'surname' }, { field: 'given_name' }], unordered: true }],
        autoMergeThreshold: 4,
        reviewThreshold: 2,
      },
    };
    const a = rec('a', { given_name: 'john', surname: 'smith' });
    const b = rec('b', { given_name: 'smith', surname: 'john' });
    expect(scorePair(a, b, config).score).toBe(4);
    const cc = compileConfig(config);
    expect(blockingKeys(a, prepareRecord(a, cc), cc)).toEqual(blockingKeys(b, prepareRecord(b, cc), cc));
  });
});

describe('comparators and blocking helpers', () => {
  it('compares dates with swaps and one-digit slips as close', () => {
    expect(compareDates('19800512', '19800512')).toBe(1);
    expect(compareDates('19800512', '19801205')).toBe(0.9);
    expect(compareDates('19800512', '19800513')).toBe(0.9);
    expect(compareDates('19800512', '19671130')).toBeLessThan(0.85);
  });

  it('compares companies without legal forms, regions, places or traditional characters', () => {
    const key = (x: string) => prepareField('company_name', x);
    expect(key('信恒(西安)电子商务股份有限公司')).toBe(key('西安信恒电子商务有限公司'));
    expect(key('騰訊科技（中國）有限公司')).toBe(key('腾讯科技'));
    expect(key('北京市力辰医疗器械有限公司')).toBe('力辰医疗器械');
    expect(key('上海有限公司')).toBe('上海');
  });

  it('computes soundex', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('张')).toBe('');
  });
});
