import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { STORE_MATCH_CONFIG } from '../store-match.config.js';
import { DEFAULT_MATCH_CONFIG } from './default-match.config.js';
import { validateMatchConfig } from './match-config.schema.js';

const clone = () => structuredClone(DEFAULT_MATCH_CONFIG) as unknown as Record<string, any>;

describe('validateMatchConfig', () => {
  it('accepts the shipped rules', () => {
    expect(validateMatchConfig(DEFAULT_MATCH_CONFIG)).toEqual([]);
    expect(validateMatchConfig(STORE_MATCH_CONFIG)).toEqual([]);
    const febrl = JSON.parse(readFileSync(new URL('../../../../bench/match/febrl.rules.json', import.meta.url), 'utf8'));
    expect(validateMatchConfig(febrl)).toEqual([]);
  });

  it('names each problem with its place', () => {
    const c = clone();
    c.fuzzy.fields[0].comparator = 'fuzzy_name';
    c.fuzzy.blocking[0].fields[0].transform = 'pinyn';
    c.fuzzy.autoMergeTreshold = 9;
    delete c.fuzzy.reviewThreshold;
    const issues = validateMatchConfig(c);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/fuzzy/fields/0/comparator', message: expect.stringMatching(/allowed values: .*"person_name"/) },
        { path: '/fuzzy/blocking/0/fields/0/transform', message: expect.stringMatching(/allowed values: .*"pinyin"/) },
        { path: '/fuzzy/autoMergeTreshold', message: 'is not allowed (unknown property)' },
        { path: '/fuzzy/reviewThreshold', message: "must have required property 'reviewThreshold'" },
      ]),
    );
  });

  it('checks what only the rules together tell', () => {
    const c = clone();
    c.identifiers[0].conflictFields = ['fullname'];
    c.fuzzy.reviewThreshold = 12;
    c.fuzzy.uniqueNames.field = 'company';
    c.fuzzy.rareClusters.compatible = ['city', 'region'];
    expect(validateMatchConfig(c)).toEqual([
      { path: '/fuzzy/reviewThreshold', message: 'must not be above autoMergeThreshold (8)' },
      { path: '/identifiers/0/conflictFields/0', message: '"fullname" is not one of fuzzy.fields' },
      { path: '/fuzzy/rareClusters/compatible/1', message: '"region" is not one of fuzzy.fields' },
      { path: '/fuzzy/uniqueNames/field', message: 'must be a fuzzy field compared with person_name' },
    ]);
    const swap = clone();
    swap.fuzzy.fields[0].swapWith = 'surname';
    expect(validateMatchConfig(swap)).toEqual([{ path: '', message: 'fuzzy field name: swapWith surname is not a fuzzy field' }]);
  });
});
