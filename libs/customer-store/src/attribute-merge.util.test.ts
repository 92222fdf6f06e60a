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

  it('never lets a nickname replace a real name, and keeps it as the nickname', () => {
    const real = mergeAttributes({}, { name: '李博霞' }, web, '2026-01-01T00:00:00.000Z').attributes;
    // A WeChat record a month later calls her by a nickname.
    const r = mergeAttributes(real, { name: '🌸静待花开🌸', city: '上海' }, pos, '2026-02-01T00:00:00.000Z');
    expect(r.attributes.name!.value).toBe('李博霞');
    expect(r.attributes.nickname).toMatchObject({ value: '🌸静待花开🌸', source: 'pos' });
    expect(r.changed).toEqual(['city', 'nickname']);
    // The input's own nickname field wins over the one a name field carried.
    expect(mergeAttributes(real, { name: '小李', nickname: 'Boxia' }, pos, '2026-02-01T00:00:00.000Z').attributes.nickname!.value).toBe('Boxia');
    // A real name replaces a salutation or placeholder, even one seen later.
    const sir = mergeAttributes({}, { name: '李女士' }, pos, '2026-03-01T00:00:00.000Z').attributes;
    expect(mergeAttributes(sir, { name: '李博霞' }, web, '2026-01-01T00:00:00.000Z').attributes.name!.value).toBe('李博霞');
    // Between two real names, or two nicknames, the latest still wins.
    expect(mergeAttributes(real, { name: '李博夏' }, pos, '2026-02-01T00:00:00.000Z').attributes.name!.value).toBe('李博夏');
    // A manual edit and an explicit policy are obeyed.
    expect(mergeAttributes(real, { name: '小李' }, pos, '2026-02-01T00:00:00.000Z', { manual: true }).attributes.name!.value).toBe('小李');
    const longest = mergeAttributes({}, { name: '李博霞' }, web, '2026-01-01T00:00:00.000Z', { survivorship: { name: { policy: 'longest' } } }).attributes;
    expect(mergeAttributes(longest, { name: '🌸静待花开🌸' }, pos, '2026-02-01T00:00:00.000Z').attributes.name!.value).toBe('🌸静待花开🌸');
  });

  it('refuses prototype keys', () => {
    const incoming = JSON.parse('{"__proto__": {"x": 1}, "ok": 1}') as Record<string, unknown>;
    expect(mergeAttributes({}, incoming, web, '2026-01-01T00:00:00.000Z').changed).toEqual(['ok']);
  });
});
