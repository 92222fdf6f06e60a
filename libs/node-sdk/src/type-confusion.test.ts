import { describe, expect, it } from '@jest/globals';
import { PayloadError, type TriggerEvent } from '@tributary/engine';
import { fuzzJson, fuzzTrigger, fuzzValue, JsonNumberLiteral, jsonPaths, parseFuzzJson, TYPE_CONFUSION_REPLACEMENTS, typeConfusionCases } from './type-confusion.js';

describe('typeConfusionCases', () => {
  it('replaces the value at every path, shallowest first, with each replacement, then the whole body', () => {
    const cases = typeConfusionCases({ a: { b: 1 }, list: [{ c: 'x' }] });
    const paths = [...new Set(cases.map((c) => c.path))];
    expect(paths).toEqual(['$.a', '$.list', '$.a.b', '$.list[0]', '$.list[0].c', '$']);
    expect(cases).toHaveLength(5 * TYPE_CONFUSION_REPLACEMENTS.length + 4);
    expect(cases.find((c) => c.path === '$.a.b' && c.replacement === 'null')!.doc).toEqual({ a: { b: null }, list: [{ c: 'x' }] });
    expect(cases.find((c) => c.path === '$.a.b' && c.replacement === 'removed')!.doc).toEqual({ a: {}, list: [{ c: 'x' }] });
    expect(cases.find((c) => c.path === '$.list[0]' && c.replacement === 'removed')!.doc).toEqual({ a: { b: 1 }, list: [] });
    expect(cases.filter((c) => c.path === '$').map((c) => c.doc)).toEqual([{}, [], 'a string', 42]);
  });

  it('caps the paths and the array entries walked, and leaves skipped paths alone', () => {
    expect(jsonPaths({ l: [1, 2, 3, 4] }, 2)).toEqual([['l'], ['l', 0], ['l', 1]]);
    const cases = typeConfusionCases({ a: 1, b: { c: 2 }, d: 3 }, { maxPaths: 2, skip: (p) => p === '$.a', wholeBody: false });
    expect([...new Set(cases.map((c) => c.path))]).toEqual(['$.b', '$.d']);
  });

  it('names keys that are not identifiers as JSON strings', () => {
    expect(typeConfusionCases({ 预算: 1 }, { wholeBody: false })[0]!.path).toBe('$["预算"]');
  });
});

describe('fuzzJson and parseFuzzJson', () => {
  it('write an integer past 2^53 as the bare digits the vendor sent, and read it back', () => {
    const big = typeConfusionCases({ id: 'a' }, { wholeBody: false }).find((c) => c.replacement === '12345678901234567890')!;
    expect(fuzzJson(big.doc)).toBe('{"id":12345678901234567890}');
    expect(fuzzValue(big.doc)).toEqual({ id: 12345678901234567000 });
    const decimal = typeConfusionCases({ id: 'a' }, { wholeBody: false }).find((c) => c.replacement === '12345678901234567890.0')!;
    expect(fuzzJson(decimal.doc)).toBe('{"id":12345678901234567890.0}');
    const doc = parseFuzzJson('{"id":6831434361875726350,"n":7,"s":"6831434361875726350","l":[9007199254740993]}');
    expect(doc).toEqual({ id: new JsonNumberLiteral('6831434361875726350'), n: 7, s: '6831434361875726350', l: [new JsonNumberLiteral('9007199254740993')] });
    expect(fuzzJson(doc)).toBe('{"id":6831434361875726350,"n":7,"s":"6831434361875726350","l":[9007199254740993]}');
  });
});

describe('fuzzTrigger', () => {
  const cases = typeConfusionCases({ order: { id: '1' } }, { wholeBody: false });
  const id = (doc: unknown) => (doc as { order?: { id?: unknown } }).order?.id;

  it('reports a throw other than PayloadError with the trigger, path, replacement and where it was thrown', async () => {
    const report = await fuzzTrigger('shop.orders', cases, (c) => {
      const v = id(c.doc);
      if (v === undefined || v === null) throw new PayloadError('no order id');
      return [{ dedupeKey: (v as string).trim(), items: [{ order_id: v }] }] as TriggerEvent[];
    });
    expect(report.runs).toBe(cases.length);
    expect(report.failures[0]).toMatch(/^shop\.orders: \$\.order\.id ← 0: TypeError: v\.trim is not a function at libs\/node-sdk\/src\/type-confusion\.test\.ts:\d+:\d+$/);
    // Every other type at the id; null, a removed id and a removed or emptied order are refused.
    expect(report.failures.map((f) => f.split(': TypeError')[0])).toEqual(
      ['0', '-1', '1e21', '12345678901234567890', '12345678901234567890.0', 'true', '[]', '{}', '[null]', '{"a":{}}'].map((r) => `shop.orders: $.order.id ← ${r}`),
    );
    expect(report.outcomes.refused).toBeGreaterThan(0);
  });

  it('reports an id rounded from 12345678901234567890, and text made of an object', async () => {
    const big = cases.filter((c) => c.path === '$.order.id' && ['12345678901234567890', '{}'].includes(c.replacement));
    const report = await fuzzTrigger('shop.orders', big, (c) => {
      const v = id(fuzzValue(c.doc));
      return [{ dedupeKey: 'k', items: [{ order_id: String(v), raw: { v: String(v) } }] }];
    });
    expect(report.failures).toEqual([
      'shop.orders: $.order.id ← 12345678901234567890: event 0 item 0 /order_id = "12345678901234567000": 12345678901234567890 rounded',
      'shop.orders: $.order.id ← {}: event 0 item 0 /order_id = "[object Object]": a value that is not text turned into text',
    ]);
  });

  it('counts verify refusals and acknowledgements apart from runs', async () => {
    const two = cases.slice(0, 2);
    const rejected = await fuzzTrigger('t', two, () => ({ verify: { ok: false, reason: 'no' } }));
    expect(rejected.outcomes).toEqual({ events: 0, none: 0, refused: 0, rejected: 2 });
    const none = await fuzzTrigger('t', two, () => ({ verify: { ok: true }, events: [] }));
    expect(none.outcomes).toEqual({ events: 0, none: 2, refused: 0, rejected: 0 });
  });
});
