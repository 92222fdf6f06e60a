import { describe, expect, it } from '@jest/globals';
import { findNonJson, isPlainObject, MAX_JSON_DEPTH, storableJson, storableText, storableValue, tooDeep } from './json.util.js';
import { PayloadError } from './errors.js';

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

/** `[[[…]]]` nested `n` levels below the top. */
const nested = (n: number): unknown => JSON.parse('['.repeat(n + 1) + ']'.repeat(n + 1));

describe('findNonJson and tooDeep: depth', () => {
  it('names the first value nested deeper than MAX_JSON_DEPTH, at any depth without overflowing', () => {
    expect(tooDeep(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(tooDeep(nested(MAX_JSON_DEPTH + 1))).toBe('/0'.repeat(MAX_JSON_DEPTH + 1));
    expect(tooDeep({ a: { b: nested(20_000) } })).toMatch(/^\/a\/b(\/0)+$/);
    expect(tooDeep({ a: 1 }, 0)).toBeUndefined();
    expect(tooDeep({ a: {} }, 0)).toBe('/a');
    expect(tooDeep({ body: Buffer.alloc(1 << 20) }, 1)).toBeUndefined(); // a leaf, not a million entries
    expect(findNonJson({ deep: nested(20_000) })).toEqual({ path: '/deep' + '/0'.repeat(MAX_JSON_DEPTH), reason: `nested deeper than ${MAX_JSON_DEPTH} levels` });
  });
});

// Postgres text and jsonb cannot hold U+0000, nor text that is not valid UTF-8 (a lone surrogate).
describe('storableText, storableValue, storableJson', () => {
  it('leaves NUL out and makes a lone surrogate U+FFFD; a pair (an emoji) stays', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('😀 and \uD83D')).toBe('😀 and \uFFFD');
    expect(storableText('张三')).toBe('张三');
  });

  it('copies only what changes, keys included, and refuses what nests too deeply', () => {
    const clean = { a: 'fine', b: [1, { c: 'ok' }] };
    expect(storableValue(clean)).toBe(clean);
    const dirty = { a: 'fine', b: [1, { c: 'o\u0000k' }], ['n\u0000ame']: '王\uDC00' };
    const out = storableValue(dirty);
    expect(out).toEqual({ a: 'fine', b: [1, { c: 'ok' }], name: '王\uFFFD' });
    expect(out.b[0]).toBe(1);
    expect(dirty.b[1]).toEqual({ c: 'o\u0000k' }); // the input is not changed
    expect(() => storableValue({ deep: nested(MAX_JSON_DEPTH + 1) })).toThrow(PayloadError);
    expect(() => storableValue({ deep: nested(MAX_JSON_DEPTH + 1) })).toThrow(/nests deeper than 256 levels \(at \/deep\/0/);
  });

  it('writes JSON without NUL escapes or lone surrogates, and an escaped backslash is left alone', () => {
    expect(storableJson({ a: 'x\u0000y', b: '\uD800', d: '😀', ['k\u0000']: 1 })).toBe('{"a":"xy","b":"\\ufffd","d":"😀","k":1}');
    // A backslash followed by the letters u0000 is text, not a NUL: JSON writes it as \\u0000.
    for (const text of ['\\u0000', '\\\u0000x', 'C:\\users\\ud800']) expect(JSON.parse(storableJson({ text })).text).toBe(storableText(text));
    expect(storableJson('plain')).toBe('"plain"');
    expect(storableJson(undefined)).toBe('null');
    expect(() => storableJson(nested(20_000))).toThrow(PayloadError);
  });
});
