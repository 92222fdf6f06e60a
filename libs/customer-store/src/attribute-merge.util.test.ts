import { describe, expect, it } from '@jest/globals';
import { mergeAttributes } from './attribute-merge.util.js';

const web = { source: 'webform', flowId: 'f', flowVersion: 1, runId: 'r1', nodeId: 'n' };
const pos = { source: 'pos', flowId: 'g', flowVersion: 4, runId: 'r2', nodeId: 'm' };

describe('mergeAttributes', () => {
  it('adds new fields with their provenance and skips empty values', () => {
    const r = mergeAttributes({}, { name: ' 王芳 ', city: '', note: null, tags: [], extra: {}, age: Number.NaN, vip: false, n: 0 }, web, '2026-01-01T00:00:00.000Z');
    expect(r.changed).toEqual(['name', 'vip', 'n']);
    expect(r.attributes.name).toEqual({ value: '王芳', ...web, updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(r.attributes.vip!.value).toBe(false);
  });

  it('lets the latest observation win and keeps one previous value', () => {
    const first = mergeAttributes({}, { city: '北京' }, web, '2026-01-01T00:00:00.000Z').attributes;
    const second = mergeAttributes(first, { city: '上海' }, pos, '2026-02-01T00:00:00.000Z').attributes;
    const third = mergeAttributes(second, { city: '深圳' }, web, '2026-03-01T00:00:00.000Z').attributes;
    expect(third.city).toEqual({
      value: '深圳',
      ...web,
      updatedAt: '2026-03-01T00:00:00.000Z',
      previous: { value: '上海', source: 'pos', runId: 'r2', updatedAt: '2026-02-01T00:00:00.000Z' },
    });
  });

  it('ignores older observations and unchanged values', () => {
    const current = mergeAttributes({}, { city: '上海', profile: { a: 1 } }, pos, '2026-02-01T00:00:00.000Z').attributes;
    expect(mergeAttributes(current, { city: '北京' }, web, '2026-01-01T00:00:00.000Z').changed).toEqual([]);
    expect(mergeAttributes(current, { city: '上海', profile: { a: 1 } }, web, '2026-03-01T00:00:00.000Z').changed).toEqual([]);
  });

  it('refuses prototype keys', () => {
    const incoming = JSON.parse('{"__proto__": {"x": 1}, "ok": 1}') as Record<string, unknown>;
    expect(mergeAttributes({}, incoming, web, '2026-01-01T00:00:00.000Z').changed).toEqual(['ok']);
  });
});
