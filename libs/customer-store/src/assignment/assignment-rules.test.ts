import { describe, expect, it } from '@jest/globals';
import type { AssignmentRule } from '@tributary/engine';
import { conditionHolds, fieldValue, ownerCovers, pickTeam, ruleProblems, type RuleSubject } from './assignment-rules.js';

const subject = (item: Record<string, unknown>, customer: Partial<RuleSubject['customer']> = {}): RuleSubject => ({
  item,
  customer: { stage: 'lead', score: 0, priority: null, tags: [], firstChannel: null, ownerId: null, attributes: {}, ...customer },
});

const rules: AssignmentRule[] = [
  { name: '华东', when: [{ field: 'city', op: 'in', value: ['上海', '杭州', '南京'] }], team: 'east' },
  { name: 'internet', when: [{ field: 'industry', op: 'eq', value: '互联网' }, { field: 'source', op: 'eq', value: '官网注册' }], team: 'web' },
  { name: 'product', when: [{ field: 'product', op: 'starts_with', value: 'ERP' }], team: 'erp' },
  { name: 'campaign', when: [{ field: 'utm.campaign', op: 'matches', value: '^618' }], team: 'promo' },
  { name: 'vip', when: [{ field: 'customer.tags', op: 'contains', value: 'vip' }], team: 'key-accounts' },
  { name: 'hot', when: [{ field: 'customer.score', op: 'gte', value: 60 }], team: 'hot' },
];

describe('assignment rules', () => {
  it('goes down the rules in order: the first match wins, else the default team', () => {
    const pick = (item: Record<string, unknown>, customer: Partial<RuleSubject['customer']> = {}) => pickTeam({ rules, defaultTeam: 'pool' }, subject(item, customer))?.team;
    expect(pick({ city: '上海市' })).toBe('east'); // cities compare by name
    expect(pick({ city: 'Hangzhou' })).toBe('east');
    expect(pick({ city: '北京' })).toBe('pool');
    expect(pick({ industry: '互联网', source: '官网注册' })).toBe('web');
    expect(pick({ industry: '互联网', source: '展会' })).toBe('pool'); // every condition must hold
    expect(pick({ product: 'erp-cloud' })).toBe('erp'); // case does not matter
    expect(pick({ utm: { campaign: '618-sale' } })).toBe('promo');
    expect(pick({}, { tags: ['VIP', 'b2b'] })).toBe('key-accounts');
    expect(pick({}, { score: 75 })).toBe('hot');
    expect(pick({ city: '上海', industry: '互联网', source: '官网注册' })).toBe('east');
    expect(pickTeam({ rules }, subject({ city: '成都' }))).toBeUndefined();
    expect(pickTeam({ rules, defaultTeam: 'pool' }, subject({ city: '成都' }))).toEqual({ team: 'pool', rule: 'default' });
  });

  it('reads a bare field from the item first, then the customer; item. and customer. say which', () => {
    const s = subject({ city: '' , region: '华南' }, { attributes: { city: '广州', region: '华东' }, stage: 'mql', firstChannel: 'wecom' });
    expect(fieldValue('city', s)).toBe('广州'); // blank on the item
    expect(fieldValue('region', s)).toBe('华南');
    expect(fieldValue('customer.region', s)).toBe('华东');
    expect(fieldValue('item.city', s)).toBe('');
    expect(fieldValue('stage', s)).toBe('mql');
    expect(fieldValue('customer.firstChannel', s)).toBe('wecom');
  });

  it('has the operators a rule needs', () => {
    const s = subject({ budget: '50000', name: '张三', channel: 'Baidu SEM', tags: ['a', 'b'] });
    const holds = (field: string, op: any, value?: unknown) => conditionHolds({ field, op, value }, s);
    expect(holds('budget', 'gt', 10000)).toBe(true);
    expect(holds('budget', 'lte', 10000)).toBe(false);
    expect(holds('budget', 'lt', 'x')).toBe(false);
    expect(holds('channel', 'contains', 'sem')).toBe(true);
    expect(holds('channel', 'neq', 'baidu sem')).toBe(false);
    expect(holds('channel', 'not_in', ['wecom', 'douyin'])).toBe(true);
    expect(holds('tags', 'eq', 'b')).toBe(true);
    expect(holds('missing', 'exists')).toBe(false);
    expect(holds('missing', 'not_exists')).toBe(true);
    expect(holds('missing', 'neq', 'x')).toBe(true);
    expect(holds('name', 'matches', '^张')).toBe(true);
  });

  it('matches owners to customers by an owner attribute (`*` covers everything)', () => {
    const s = subject({ city: '上海市', product: 'CRM' });
    expect(ownerCovers(['上海', '杭州'], 'city', s)).toBe(true);
    expect(ownerCovers(['北京'], 'city', s)).toBe(false);
    expect(ownerCovers('*', 'city', s)).toBe(true);
    expect(ownerCovers(undefined, 'city', s)).toBe(false);
    expect(ownerCovers(['erp'], 'industry', s)).toBe(true); // the customer has no industry: no constraint
  });

  it('reports rules it cannot apply', () => {
    expect(ruleProblems(rules)).toEqual([]);
    expect(ruleProblems([{ name: 'x', team: 't', when: [{ field: 'a', op: 'matches', value: '(' }, { field: 'b', op: 'gt', value: 'many' }] }]).map((p) => p.path)).toEqual([
      '/rules/0/when/0/value',
      '/rules/0/when/1/value',
    ]);
  });
});
