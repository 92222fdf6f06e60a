import { describe, expect, it } from '@jest/globals';
import { createExpressionEvaluator, expressionBindings } from '@tributary/engine/expression';
import { previewCall, previewInput, previewScope, PREVIEW_RUN_ID } from './jsonata-preview.util.js';

const EMPTY = { results: {}, pinned: {} };

describe('previewInput', () => {
  const sample = { config: {}, input: [{ a: 1 }] };
  it('prefers pinned items, then the last tested input, then the sample', () => {
    const tested = { nodeId: 'n', status: 'succeeded' as const, input: [{ a: 2 }], output: null, at: '2026-11-22T10:00:00.000Z' };
    expect(previewInput({ results: { n: tested }, pinned: { n: [{ a: 3 }] } }, 'n', sample)).toEqual({ items: [{ a: 3 }], source: 'pinned' });
    expect(previewInput({ results: { n: tested }, pinned: {} }, 'n', sample)).toEqual({ items: [{ a: 2 }], source: 'tested' });
    expect(previewInput(EMPTY, 'n', sample)).toEqual({ items: [{ a: 1 }], source: 'sample' });
  });

  it('has nothing without pins, tests or a usable sample', () => {
    expect(previewInput(EMPTY, 'n', null)).toBeUndefined();
    expect(previewInput(EMPTY, 'n', { config: {} })).toBeUndefined();
    expect(previewInput(EMPTY, 'n', { input: [1, 2] })).toBeUndefined();
  });
});

describe('previewScope', () => {
  it('reads x-scope, defaulting to one item', () => {
    expect(previewScope({ type: 'string' })).toBe('item');
    expect(previewScope({ 'x-scope': 'items' })).toBe('items');
    expect(previewScope({ 'x-scope': 'none' })).toBe('none');
    expect(previewScope({ 'x-scope': 'bogus' })).toBe('item');
  });
});

describe('previewCall', () => {
  const items = [{ n: 1 }, { n: 2 }];
  it('binds one item with $item and $index, or all items with $items, like the nodes do', () => {
    expect(previewCall('item', items, 1)).toEqual({ input: { n: 2 }, extra: { item: { n: 2 }, index: 1 } });
    expect(previewCall('items', items, 1)).toEqual({ input: items, extra: { items } });
    expect(previewCall('none', items, 0)).toBeUndefined();
    expect(previewCall('item', items, 5)).toBeUndefined();
  });

  it('evaluates with the engine as a node would: $, $item, $index, $items, $runId and the clock', async () => {
    const evaluator = createExpressionEvaluator();
    const run = (expr: string, scope: 'item' | 'items', index = 0) => {
      const call = previewCall(scope, items, index)!;
      return evaluator.evaluate(expr, call.input, expressionBindings({ now: () => new Date('2026-11-22T10:00:00.000Z'), runId: PREVIEW_RUN_ID }, call.extra));
    };
    expect(await run('{ "n": n, "same": $item.n = n, "i": $index, "run": $runId, "at": $now() }', 'item', 1)).toEqual({
      n: 2,
      same: true,
      i: 1,
      run: 'preview',
      at: '2026-11-22T10:00:00.000Z',
    });
    expect(await run('$sum($items.n) + $count($)', 'items')).toBe(5);
  });
});
