import { defineNode, errorItem, expressionBindings, ExpressionError, isPlainObject, NodeError, type Item } from '@tributary/node-sdk';
import { transformNodeLocales } from './transform.node.locale.js';

export interface TransformConfig {
  expression: string;
  mode: 'each' | 'all';
}

type Sorted = { out: Item[]; bad: Array<{ value: unknown; reason: string }> };

/** Object → one item, array → one per element, null/undefined → nothing, anything else is bad. */
function sortResult(result: unknown): Sorted {
  const sorted: Sorted = { out: [], bad: [] };
  const one = (v: unknown) => {
    if (v === undefined || v === null) return;
    if (isPlainObject(v)) sorted.out.push(v);
    else sorted.bad.push({ value: v, reason: `the expression returned ${Array.isArray(v) ? 'a nested array' : `a ${typeof v}`}; it must return an object, an array of objects, or nothing` });
  };
  if (Array.isArray(result)) result.forEach(one);
  else one(result);
  return sorted;
}

export const transformNode = defineNode<TransformConfig>({
  id: 'core.transform',
  version: 1,
  title: 'Transform',
  description: 'Reshapes items with a JSONata expression: an object result replaces the item, an array fans out into several items, nothing drops it.',
  category: 'transform',
  locales: transformNodeLocales,
  pure: true,
  icon: 'code',
  outputs: ['out', 'error'],
  configSchema: {
    type: 'object',
    required: ['expression'],
    properties: {
      expression: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'Expression (JSONata)',
        description: '`$` is the item (in "all" mode: the array of items). Also bound: `$item`, `$index`, `$runId`, `$now()`, `$millis()`. Example: `{ "email": $lowercase(email), "name": firstName & " " & lastName }`.',
        'x-widget': 'code',
        'x-language': 'jsonata',
      },
      mode: {
        type: 'string',
        enum: ['each', 'all'],
        default: 'each',
        title: 'Mode',
        description: 'each: evaluate once per item. all: evaluate once over the array of all items (to sort, group or aggregate).',
      },
    },
    additionalProperties: false,
    // Tells the editor's preview that in "all" mode `$` is the array of items.
    if: { properties: { mode: { const: 'all' } }, required: ['mode'] },
    then: { properties: { expression: { 'x-scope': 'items' } } },
  },
  sample: {
    config: { expression: '{ "email": $lowercase(email), "name": first & " " & last }', mode: 'each' },
    input: [{ email: 'Ada@Example.com', first: 'Ada', last: 'Lovelace' }],
  },
  async run(ctx, items) {
    const { expression, mode } = ctx.config;
    const out: Item[] = [];
    const error: Item[] = [];
    if (mode === 'all') {
      const result = await ctx.expr.evaluate(expression, items, expressionBindings(ctx, { items }));
      const sorted = sortResult(result);
      if (sorted.bad.length) throw new NodeError('invalid_result', sorted.bad[0]!.reason, { retryable: false, details: { value: sorted.bad[0]!.value } });
      return { out: sorted.out, error: [] };
    }
    for (const [index, item] of items.entries()) {
      let result: unknown;
      try {
        result = await ctx.expr.evaluate(expression, item, expressionBindings(ctx, { item, index }));
      } catch (err) {
        // Data-dependent failures belong to the item; limits and syntax fail the step.
        if (err instanceof ExpressionError && err.code === 'expression_runtime') {
          error.push(errorItem(item, err.code, err.message, err.position !== undefined ? { position: err.position } : undefined));
          continue;
        }
        throw err;
      }
      const sorted = sortResult(result);
      out.push(...sorted.out);
      for (const bad of sorted.bad) error.push(errorItem(item, 'invalid_result', bad.reason, { value: bad.value }));
    }
    return { out, error };
  },
});
