import { describe, expect, it } from '@jest/globals';
import { ConfigError, ExpressionError, NodeError, runNode } from '@tributary/node-sdk';
import { transformNode } from './transform.node.js';

const run = (expression: string, items: Record<string, unknown>[], more: Record<string, unknown> = {}) =>
  runNode(transformNode, { config: { expression, ...more }, items, runId: 'run-7', now: new Date('2025-05-05T05:05:05Z') });

describe('core.transform', () => {
  it('replaces each item with the object the expression returns', async () => {
    const out = await run('{ "email": $lowercase(email), "name": first & " " & last }', [{ email: 'A@B.COM', first: 'Ada', last: 'L' }]);
    expect(out).toEqual({ out: [{ email: 'a@b.com', name: 'Ada L' }], error: [] });
  });

  it('binds $item, $index, $runId and $now()', async () => {
    const out = await run('{ "i": $index, "run": $runId, "at": $now(), "same": $item = $ }', [{ a: 1 }, { a: 2 }]);
    expect(out.out).toEqual([
      { i: 0, run: 'run-7', at: '2025-05-05T05:05:05.000Z', same: true },
      { i: 1, run: 'run-7', at: '2025-05-05T05:05:05.000Z', same: true },
    ]);
  });

  it('fans an array result out into several items', async () => {
    const out = await run('lines.{ "order": $$.id, "sku": sku }', [{ id: 'o1', lines: [{ sku: 'a' }, { sku: 'b' }] }, { id: 'o2', lines: [{ sku: 'c' }] }]);
    expect(out.out).toEqual([
      { order: 'o1', sku: 'a' },
      { order: 'o1', sku: 'b' },
      { order: 'o2', sku: 'c' },
    ]);
  });

  it('drops items for which the expression returns nothing or null', async () => {
    const out = await run('amount > 0 ? $ : null', [{ amount: 5 }, { amount: 0 }, { other: 1 }]);
    expect(out).toEqual({ out: [{ amount: 5 }], error: [] });
  });

  it('sends non-object results and runtime errors to the error port with the reason', async () => {
    const out = await run('kind = "s" ? "text" : kind = "n" ? 42 : kind = "boom" ? ("a" + 1) : $', [{ kind: 's' }, { kind: 'n' }, { kind: 'boom' }, { kind: 'ok' }]);
    expect(out.out).toEqual([{ kind: 'ok' }]);
    expect(out.error).toEqual([
      { item: { kind: 's' }, error: { code: 'invalid_result', message: expect.stringMatching(/returned a string; it must return an object/), details: { value: 'text' } } },
      { item: { kind: 'n' }, error: { code: 'invalid_result', message: expect.stringMatching(/returned a number/), details: { value: 42 } } },
      { item: { kind: 'boom' }, error: { code: 'expression_runtime', message: expect.stringMatching(/must evaluate to a number/), details: { position: expect.any(Number) } } },
    ]);
  });

  it('fails the step when an expression hits a limit', async () => {
    await expect(run('( $f := function($x){ $f($x) + 1 }; $f(1) )', [{}])).rejects.toMatchObject({ code: 'expression_too_deep' });
    await expect(run('( $f := function($x){ $f($x) + 1 }; $f(1) )', [{}])).rejects.toBeInstanceOf(ExpressionError);
  });

  it('evaluates once over all items in "all" mode', async () => {
    const items = [{ city: 'SH', n: 1 }, { city: 'BJ', n: 2 }, { city: 'SH', n: 3 }];
    const out = await run('$^(city).{ "city": city }', items, { mode: 'all' });
    expect(out.out).toEqual([{ city: 'BJ' }, { city: 'SH' }, { city: 'SH' }]);
    const total = await run('{ "count": $count($), "sum": $sum(n) }', items, { mode: 'all' });
    expect(total.out).toEqual([{ count: 3, sum: 6 }]);
    await expect(run('$count($)', items, { mode: 'all' })).rejects.toBeInstanceOf(NodeError);
  });

  it('refuses an expression that does not parse at config time', async () => {
    await expect(run('{ "a": ', [{}])).rejects.toBeInstanceOf(ConfigError);
  });
});
