import { describe, expect, it } from '@jest/globals';
import { findNonJson, isPlainObject } from './json.util.js';

describe('isPlainObject', () => {
  it('accepts literals, null-prototype objects and clones, not class instances', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(structuredClone({ a: 1 }))).toBe(true);
    for (const v of [null, [], new Date(), Buffer.from('x'), new (class A {})(), 'x', 1]) expect(isPlainObject(v)).toBe(false);
  });
});

describe('findNonJson', () => {
  it('points at the first value JSON would change', () => {
    expect(findNonJson({ a: [1, 'x', null, { b: true }], skip: undefined })).toBeUndefined();
    expect(findNonJson({ a: { when: new Date() } })).toEqual({ path: '/a/when', reason: 'Date is not a plain JSON object' });
    expect(findNonJson({ n: NaN })).toEqual({ path: '/n', reason: 'NaN is not a JSON number' });
    expect(findNonJson({ f: () => 1 })).toEqual({ path: '/f', reason: 'a function is not JSON' });
    expect(findNonJson({ a: [1, undefined] })).toEqual({ path: '/a/1', reason: 'undefined in an array' });
    expect(findNonJson({ 'a/b': 1n })).toEqual({ path: '/a~1b', reason: 'a bigint is not JSON' });
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(findNonJson(loop)).toEqual({ path: '/self', reason: 'circular reference' });
  });
});
