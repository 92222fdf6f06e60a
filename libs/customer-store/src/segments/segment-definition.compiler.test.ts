import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { CustomerStoreError } from '../customer-store.errors.js';
import { compileSegmentDefinition, parseSegmentDefinition, SqlParams, validateSegmentDefinition } from './segment-definition.compiler.js';
import type { SegmentNode } from './segment.types.js';

const NOW = new Date('2026-03-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86400_000).toISOString();

describe('segment definitions: validation', () => {
  const issues = (def: unknown) => {
    const r = validateSegmentDefinition(def);
    return r.ok ? [] : r.issues;
  };

  it('accepts the documented examples', () => {
    const examples: unknown[] = [
      { field: 'attributes.rfm_segment', op: 'eq', value: 'champions' },
      { any: [{ field: 'last_interaction_at', op: 'olderThanDays', value: 90 }, { field: 'last_interaction_at', op: 'notExists' }] },
      {
        all: [
          { field: 'attributes.subscription_due_at', op: 'withinNextDays', value: 30 },
          { not: { event: { types: ['call', 'wecom_message', 'email_replied'], withinDays: 14 } } },
        ],
      },
      { all: [{ field: 'score', op: 'between', value: [60, 100] }, { field: 'tags', op: 'containsAny', value: ['vip', '大客户'] }, { event: { types: ['purchase'], minCount: 3 } }] },
      { all: [] },
    ];
    for (const e of examples) expect(issues(e)).toEqual([]);
  });

  it.each([
    [{}, '', /must be one of \{"all"/],
    [{ foo: 1 }, '', /must be one of \{"all"/],
    ['stage = lead', '', /must be object/],
    [{ all: [{ field: 'nope', op: 'eq', value: 1 }] }, '/all/0/field', /must be a customer column \(score, stage/],
    [{ field: 'score', op: 'contains', value: 1 }, '/op', /must be one of eq, neq, gt, .* for score/],
    [{ field: 'tags', op: 'eq', value: 'vip' }, '/op', /for tags/],
    [{ field: 'score', op: 'gt', value: '80' }, '/value', /must be a number for "gt"/],
    [{ field: 'stage', op: 'eq' }, '/value', /must be a non-empty text for "eq"/],
    [{ field: 'stage', op: 'exists', value: 'x' }, '/value', /takes no value/],
    [{ field: 'score', op: 'between', value: [1] }, '/value', /\[low, high\]/],
    [{ field: 'created_at', op: 'before', value: 'yesterday' }, '/value', /ISO 8601/],
    [{ field: 'last_interaction_at', op: 'olderThanDays', value: 0 }, '/value', /number of days greater than 0/],
    [{ field: 'attributes.x', op: 'in', value: [1, 'a'] }, '/value', /list of texts or of numbers/],
    [{ any: [] }, '/any', /fewer than 1/],
    [{ all: [], any: [] }, '/any', /not allowed/],
    [{ not: { event: { types: [] } } }, '/not/event/types', /fewer than 1/],
    [{ event: { types: ['call'], withinDays: 7, since: 'x' } }, '/event/since', /not allowed/],
    [{ field: 'score', op: 'eq', value: 1, extra: true }, '/extra', /not allowed/],
  ])('refuses %j at %s', (def, path, message) => {
    const found = issues(def);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every bad place at once', () => {
    const found = issues({ all: [{ field: 'score', op: 'between', value: [1] }, { field: 'created_at', op: 'before', value: 'x' }, { field: 'stage', op: 'eq', value: 'ok' }] });
    expect(found.map((i) => i.path)).toEqual(['/all/0/value', '/all/1/value']);
  });

  it('limits nesting and size', () => {
    let deep: SegmentNode = { field: 'score', op: 'gt', value: 1 };
    for (let i = 0; i < 11; i++) deep = { not: deep };
    expect(issues(deep)[0]!.message).toMatch(/nests too deeply/);
    let hostile: unknown = {};
    for (let i = 0; i < 10_000; i++) hostile = { all: [hostile] };
    expect(issues(hostile)[0]!.message).toMatch(/nests too deeply/);
    const many = { any: Array.from({ length: 100 }, () => ({ all: [{ field: 'score', op: 'gt', value: 1 }, { field: 'score', op: 'lt', value: 9 }, { field: 'stage', op: 'eq', value: 'x' }] })) };
    expect(issues(many)).toContainEqual({ path: expect.any(String), message: expect.stringMatching(/too many conditions/) });
  });

  it('throws invalid_input with the issues as details', () => {
    let err: unknown;
    try {
      parseSegmentDefinition({ field: 'score', op: 'gt', value: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CustomerStoreError);
    expect((err as CustomerStoreError).code).toBe('invalid_input');
    expect((err as CustomerStoreError).message).toMatch(/\/value must be a number/);
    expect((err as CustomerStoreError).details).toEqual([{ path: '/value', message: 'must be a number for "gt"' }]);
  });
});

describe('segment definitions: injection', () => {
  const hostile = `x'); DROP TABLE customers; --`;

  it('refuses field names and operators outside the whitelist', () => {
    for (const def of [
      { field: 'score; DROP TABLE customers', op: 'eq', value: 1 },
      { field: 'c.score', op: 'eq', value: 1 },
      { field: 'id', op: 'eq', value: 'x' },
      { field: 'display_name', op: 'eq', value: 'x' },
      { field: 'score', op: "eq' OR 1=1 --", value: 1 },
      { field: 'score', op: '=', value: 1 },
      { field: 'attributes.x\u0000', op: 'eq', value: 1 },
    ]) expect(validateSegmentDefinition(def).ok).toBe(false);
  });

  it('never lets a value, an attribute name or an event type into the SQL text', () => {
    const def: SegmentNode = {
      all: [
        { field: `attributes.${hostile}`, op: 'eq', value: hostile },
        { field: 'stage', op: 'in', value: [hostile] },
        { field: 'tags', op: 'contains', value: hostile },
        { field: `attributes.a"b`, op: 'contains', value: `%_\\'` },
        { event: { types: [hostile], withinDays: 1 } },
      ],
    };
    expect(validateSegmentDefinition(def).ok).toBe(true);
    const params = new SqlParams();
    const { sql } = compileSegmentDefinition(def, params, NOW);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('a"b');
    expect(sql).not.toContain('%_');
    expect(params.values).toEqual(expect.arrayContaining([hostile, [hostile], `a"b`]));
  });

  it('refuses unchecked input that reaches the compiler directly', () => {
    const compile = (def: unknown) => () => compileSegmentDefinition(def as SegmentNode, new SqlParams(), NOW);
    expect(compile({ field: 'score) OR (1=1', op: 'eq', value: 1 })).toThrow(CustomerStoreError);
    expect(compile({ field: 'score', op: 'raw', value: 1 })).toThrow(CustomerStoreError);
    expect(compile({ field: 'score', op: 'eq', value: '1 OR 1=1' })).toThrow(/not a number/);
    expect(compile({ field: 'constructor', op: 'eq', value: 1 })).toThrow(CustomerStoreError);
    expect(compile({ field: 'created_at', op: 'before', value: 'now()' })).toThrow(/ISO 8601/);
    expect(compile({ bogus: true })).toThrow(CustomerStoreError);
  });
});

describe('segment definitions: every operator on real Postgres', () => {
  let ds: DataSource;
  const ids: Record<string, string> = {
    alice: '018f0000-0000-7000-8000-000000000001',
    bob: '018f0000-0000-7000-8000-000000000002',
    carol: '018f0000-0000-7000-8000-000000000003',
    dave: '018f0000-0000-7000-8000-000000000004',
  };
  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  const attr = (value: unknown) => ({ value, source: 'test', flowId: 'f', flowVersion: 1, runId: 'r', nodeId: 'n', updatedAt: NOW.toISOString() });

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('seg_compiler'));
    const rows = [
      {
        id: ids.alice, name: 'alice', score: 80, stage: 'mql', priority: 'high', owner: 'o1', tags: ['vip', 'wechat'], channel: 'webform', created: '2025-01-01T00:00:00Z', last: daysAgo(10),
        attributes: {
          rfm_segment: attr('champions'), rfm_score: attr(555), city: attr('杭州'), interests: attr(['crm', 'bi']),
          subscription_due_at: attr(new Date(NOW.getTime() + 10 * 86400_000).toISOString()), spend: attr('1200.50'), vip: attr(true),
        },
      },
      {
        id: ids.bob, name: 'bob', score: 20, stage: 'lead', priority: null, owner: null, tags: [], channel: 'pos', created: '2026-02-20T00:00:00Z', last: daysAgo(100),
        attributes: { rfm_segment: attr('at_risk'), rfm_score: attr('211'), city: attr('上海'), subscription_due_at: attr('2026-04-30'), spend: attr(80), bad_date: attr('not a date'), empty: attr('') },
      },
      {
        id: ids.carol, name: 'carol', score: 50, stage: 'customer', priority: 'low', owner: 'o2', tags: ['wechat'], channel: 'webform', created: '2025-06-01T00:00:00Z', last: null,
        attributes: { spend: attr('abc'), subscription_due_at: attr('2026-02-30') },
      },
      // Merged into alice: matches nothing, whatever its columns say.
      { id: ids.dave, name: 'dave', score: 90, stage: 'mql', priority: 'high', owner: 'o1', tags: ['vip'], channel: 'webform', created: '2025-01-01T00:00:00Z', last: daysAgo(1), attributes: { rfm_segment: attr('champions') }, merged: ids.alice },
    ];
    for (const r of rows) {
      await ds.query(
        `INSERT INTO customers (id, display_name, score, stage, priority, owner_id, tags, first_channel, created_at, updated_at, last_interaction_at, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)`,
        [r.id, r.name, r.score, r.stage, r.priority, r.owner, r.tags, r.channel, r.created, r.last, JSON.stringify(r.attributes)],
      );
    }
    await ds.query(`UPDATE customers SET merged_into = $1 WHERE id = $2`, [ids.alice, ids.dave]);
    const events: [string, string, string][] = [
      [ids.alice, 'purchase', daysAgo(3)], [ids.alice, 'purchase', daysAgo(12)], [ids.alice, 'purchase', daysAgo(25)], [ids.alice, 'call', daysAgo(5)],
      [ids.bob, 'purchase', daysAgo(200)], [ids.dave, 'call', daysAgo(1)],
    ];
    let n = 0;
    for (const [customer, type, at] of events) {
      await ds.query(`INSERT INTO customer_events (customer_id, type, occurred_at, source, idempotency_key) VALUES ($1, $2, $3, 'test', $4)`, [customer, type, at, `e${n++}`]);
    }
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const match = async (def: unknown): Promise<string[]> => {
    const checked = parseSegmentDefinition(def);
    const params = new SqlParams();
    const { sql } = compileSegmentDefinition(checked, params, NOW);
    const rows: { id: string }[] = await ds.query(`SELECT c.id FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND ${sql} ORDER BY c.id`, params.values);
    return rows.map((r) => names[r.id]!);
  };

  const cases: [string, unknown, string[]][] = [
    ['score eq', { field: 'score', op: 'eq', value: 80 }, ['alice']],
    ['score neq', { field: 'score', op: 'neq', value: 80 }, ['bob', 'carol']],
    ['score gt', { field: 'score', op: 'gt', value: 20 }, ['alice', 'carol']],
    ['score gte', { field: 'score', op: 'gte', value: 20 }, ['alice', 'bob', 'carol']],
    ['score lt', { field: 'score', op: 'lt', value: 50 }, ['bob']],
    ['score lte', { field: 'score', op: 'lte', value: 50 }, ['bob', 'carol']],
    ['score between', { field: 'score', op: 'between', value: [20, 50] }, ['bob', 'carol']],
    ['score in', { field: 'score', op: 'in', value: [20, 80] }, ['alice', 'bob']],
    ['score notIn', { field: 'score', op: 'notIn', value: [20] }, ['alice', 'carol']],
    ['stage eq', { field: 'stage', op: 'eq', value: 'mql' }, ['alice']],
    ['stage neq', { field: 'stage', op: 'neq', value: 'lead' }, ['alice', 'carol']],
    ['stage in', { field: 'stage', op: 'in', value: ['lead', 'customer'] }, ['bob', 'carol']],
    ['stage notIn', { field: 'stage', op: 'notIn', value: ['lead'] }, ['alice', 'carol']],
    ['priority exists', { field: 'priority', op: 'exists' }, ['alice', 'carol']],
    ['priority notExists', { field: 'priority', op: 'notExists' }, ['bob']],
    ['owner eq', { field: 'owner_id', op: 'eq', value: 'o1' }, ['alice']],
    ['owner neq (no owner included)', { field: 'owner_id', op: 'neq', value: 'o1' }, ['bob', 'carol']],
    ['first channel eq', { field: 'first_channel', op: 'eq', value: 'webform' }, ['alice', 'carol']],
    ['created before', { field: 'created_at', op: 'before', value: '2026-01-01' }, ['alice', 'carol']],
    ['created after', { field: 'created_at', op: 'after', value: '2026-01-01T00:00:00Z' }, ['bob']],
    ['created withinLastDays', { field: 'created_at', op: 'withinLastDays', value: 30 }, ['bob']],
    ['created olderThanDays', { field: 'created_at', op: 'olderThanDays', value: 90 }, ['alice', 'carol']],
    ['last interaction olderThanDays', { field: 'last_interaction_at', op: 'olderThanDays', value: 90 }, ['bob']],
    ['last interaction withinLastDays', { field: 'last_interaction_at', op: 'withinLastDays', value: 30 }, ['alice']],
    ['last interaction exists', { field: 'last_interaction_at', op: 'exists' }, ['alice', 'bob']],
    ['last interaction notExists', { field: 'last_interaction_at', op: 'notExists' }, ['carol']],
    ['dormant: no interaction in 90 days', { any: [{ field: 'last_interaction_at', op: 'olderThanDays', value: 90 }, { field: 'last_interaction_at', op: 'notExists' }] }, ['bob', 'carol']],
    ['tags contains', { field: 'tags', op: 'contains', value: 'vip' }, ['alice']],
    ['tags notContains', { field: 'tags', op: 'notContains', value: 'vip' }, ['bob', 'carol']],
    ['tags containsAny', { field: 'tags', op: 'containsAny', value: ['vip', 'wechat'] }, ['alice', 'carol']],
    ['tags containsAll', { field: 'tags', op: 'containsAll', value: ['vip', 'wechat'] }, ['alice']],
    ['tags exists', { field: 'tags', op: 'exists' }, ['alice', 'carol']],
    ['tags notExists', { field: 'tags', op: 'notExists' }, ['bob']],
    ['attribute eq (RFM top tier)', { field: 'attributes.rfm_segment', op: 'eq', value: 'champions' }, ['alice']],
    ['attribute neq (missing included)', { field: 'attributes.rfm_segment', op: 'neq', value: 'champions' }, ['bob', 'carol']],
    ['attribute in', { field: 'attributes.rfm_segment', op: 'in', value: ['champions', 'loyal'] }, ['alice']],
    ['attribute notIn', { field: 'attributes.rfm_segment', op: 'notIn', value: ['champions'] }, ['bob', 'carol']],
    ['attribute eq number (text "211" too)', { field: 'attributes.rfm_score', op: 'eq', value: 211 }, ['bob']],
    ['attribute in numbers', { field: 'attributes.rfm_score', op: 'in', value: [555, 211] }, ['alice', 'bob']],
    ['attribute eq boolean', { field: 'attributes.vip', op: 'eq', value: true }, ['alice']],
    ['attribute gt', { field: 'attributes.rfm_score', op: 'gt', value: 300 }, ['alice']],
    ['attribute gte (numeric text; "abc" is no number)', { field: 'attributes.spend', op: 'gte', value: 100 }, ['alice']],
    ['attribute lt', { field: 'attributes.spend', op: 'lt', value: 100 }, ['bob']],
    ['attribute lte', { field: 'attributes.spend', op: 'lte', value: 80 }, ['bob']],
    ['attribute between', { field: 'attributes.spend', op: 'between', value: [50, 2000] }, ['alice', 'bob']],
    ['attribute contains text', { field: 'attributes.city', op: 'contains', value: '杭' }, ['alice']],
    ['attribute contains list element', { field: 'attributes.interests', op: 'contains', value: 'crm' }, ['alice']],
    ['attribute notContains', { field: 'attributes.interests', op: 'notContains', value: 'crm' }, ['bob', 'carol']],
    ['attribute exists (empty text is absent)', { field: 'attributes.city', op: 'exists' }, ['alice', 'bob']],
    ['attribute exists on empty', { field: 'attributes.empty', op: 'exists' }, []],
    ['attribute notExists', { field: 'attributes.city', op: 'notExists' }, ['carol']],
    ['attribute before (not a date is no time)', { field: 'attributes.bad_date', op: 'before', value: '2100-01-01' }, []],
    ['attribute after (date-only value)', { field: 'attributes.subscription_due_at', op: 'after', value: '2026-03-05' }, ['alice', 'bob']],
    ['attribute withinNextDays (2026-02-30 is no date)', { field: 'attributes.subscription_due_at', op: 'withinNextDays', value: 30 }, ['alice']],
    ['attribute withinNextDays wider', { field: 'attributes.subscription_due_at', op: 'withinNextDays', value: 90 }, ['alice', 'bob']],
    ['attribute withinLastDays', { field: 'attributes.subscription_due_at', op: 'withinLastDays', value: 1 }, ['alice', 'bob']],
    ['attribute olderThanDays', { field: 'attributes.subscription_due_at', op: 'olderThanDays', value: 1 }, []],
    ['event any time', { event: { types: ['purchase'] } }, ['alice', 'bob']],
    ['event within days', { event: { types: ['purchase'], withinDays: 30 } }, ['alice']],
    ['event count', { event: { types: ['purchase'], minCount: 3 } }, ['alice']],
    ['event count not reached', { event: { types: ['purchase'], minCount: 4 } }, []],
    ['event count within days', { event: { types: ['purchase'], minCount: 2, withinDays: 20 } }, ['alice']],
    ['no event (has not)', { not: { event: { types: ['call'], withinDays: 14 } } }, ['bob', 'carol']],
    ['churn risk: due soon and no contact', { all: [{ field: 'attributes.subscription_due_at', op: 'withinNextDays', value: 30 }, { not: { event: { types: ['call'], withinDays: 3 } } }] }, ['alice']],
    ['churn risk with a wider window', { all: [{ field: 'attributes.subscription_due_at', op: 'withinNextDays', value: 30 }, { not: { event: { types: ['call'], withinDays: 7 } } }] }, []],
    ['all []: everybody live', { all: [] }, ['alice', 'bob', 'carol']],
    ['any', { any: [{ field: 'score', op: 'gt', value: 70 }, { field: 'stage', op: 'eq', value: 'customer' }] }, ['alice', 'carol']],
    ['not over a nullable column', { not: { field: 'priority', op: 'eq', value: 'high' } }, ['bob', 'carol']],
    ['nested', { all: [{ any: [{ field: 'tags', op: 'contains', value: 'wechat' }, { field: 'score', op: 'lt', value: 30 }] }, { not: { field: 'stage', op: 'eq', value: 'customer' } }] }, ['alice', 'bob']],
  ];

  it.each(cases)('%s', async (_name, def, expected) => {
    expect(await match(def)).toEqual(expected);
  });

  it('reads attribute times and numbers without ever failing the statement', async () => {
    const times: [unknown, string | null][] = [
      ['2026-03-01', '2026-03-01T00:00:00.000Z'],
      ['2026-03-01T10:00:00+08:00', '2026-03-01T02:00:00.000Z'],
      ['2026-03-01 10:00', '2026-03-01T10:00:00.000Z'],
      ['2026-03-01T10:00:00-0530', '2026-03-01T15:30:00.000Z'],
      ['2026-03-01T10:00:00.123Z', '2026-03-01T10:00:00.123Z'],
      [' 2024-02-29T23:59:59Z ', '2024-02-29T23:59:59.000Z'],
      ['2026-03-01T23:59:59.999999Z', '2026-03-01T23:59:59.999Z'],
      ['2026-03-01T10:00:00.5+01', '2026-03-01T09:00:00.500Z'],
      ['2026-03-01T10:00:60Z', null],
      ['2026-03-01T10:61', null],
      ['2026-03-01T10:00:00 +08:00', null],
      ['2026-04-31', null],
      ['2026-02-29', null],
      ['2026-02-30', null],
      ['2026-13-01', null],
      ['0000-01-01', null],
      ['2026-03-01T24:00:00Z', null],
      ['2026-03-01T10:00:00+16:00', null],
      ['yesterday', null],
      [20260301, null],
      [null, null],
    ];
    for (const [value, want] of times) {
      const [{ t }] = await ds.query(`SELECT tributary_jsonb_timestamptz($1::jsonb) AS t`, [JSON.stringify(value)]);
      expect([value, t ? new Date(t).toISOString() : null]).toEqual([value, want]);
    }
    const numbers: [unknown, string | null][] = [[42, '42'], ['1200.50', '1200.50'], [' -3 ', '-3'], ['1e3', '1000'], ['abc', null], ['1,000', null], [true, null], [[1], null]];
    for (const [value, want] of numbers) {
      const [{ n }] = await ds.query(`SELECT tributary_jsonb_numeric($1::jsonb)::text AS n`, [JSON.stringify(value)]);
      expect([value, n]).toEqual([value, want]);
    }
  });

  it('reports which conditions are relative to now', () => {
    const rel = (def: SegmentNode) => compileSegmentDefinition(def, new SqlParams(), NOW).timeRelative;
    expect(rel({ field: 'score', op: 'gt', value: 1 })).toBe(false);
    expect(rel({ field: 'created_at', op: 'before', value: '2026-01-01' })).toBe(false);
    expect(rel({ event: { types: ['x'] } })).toBe(false);
    expect(rel({ event: { types: ['x'], withinDays: 3 } })).toBe(true);
    expect(rel({ not: { field: 'last_interaction_at', op: 'olderThanDays', value: 90 } })).toBe(true);
  });
});
