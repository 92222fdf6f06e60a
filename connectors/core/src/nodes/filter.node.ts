import { defineNode, errorItem, expressionBindings, ExpressionError, expressionTruthy, type Item } from '@tributary/node-sdk';
import { filterNodeLocales } from './filter.node.locale.js';

export interface FilterConfig {
  condition: string;
}

export const filterNode = defineNode<FilterConfig>({
  id: 'core.filter',
  version: 1,
  title: 'Filter',
  description: 'Sends items whose condition is true to `out` and the rest to `rejected`.',
  category: 'logic',
  locales: filterNodeLocales,
  pure: true,
  icon: 'filter',
  outputs: ['out', 'rejected', 'error'],
  configSchema: {
    type: 'object',
    required: ['condition'],
    properties: {
      condition: {
        type: 'string',
        format: 'jsonata',
        minLength: 1,
        title: 'Condition (JSONata)',
        description: 'Evaluated per item (`$` is the item; `$index`, `$runId`, `$now()` are bound). Truthy as in JSONata’s $boolean: empty strings, arrays and objects, 0 and null are false. Example: `amount > 100 and country = "CN"`.',
        'x-widget': 'code',
        'x-language': 'jsonata',
      },
    },
    additionalProperties: false,
  },
  sample: { config: { condition: 'amount > 100' }, input: [{ amount: 250 }, { amount: 20 }] },
  async run(ctx, items) {
    const out: Item[] = [];
    const rejected: Item[] = [];
    const error: Item[] = [];
    for (const [index, item] of items.entries()) {
      try {
        const value = await ctx.expr.evaluate(ctx.config.condition, item, expressionBindings(ctx, { item, index }));
        (expressionTruthy(value) ? out : rejected).push(item);
      } catch (err) {
        if (err instanceof ExpressionError && err.code === 'expression_runtime') error.push(errorItem(item, err.code, err.message));
        else throw err;
      }
    }
    return { out, rejected, error };
  },
});
