import { describe, expect, it } from '@jest/globals';
import { runNode } from '@tributary/node-sdk';
import { filterNode } from './filter.node.js';

describe('core.filter', () => {
  it('sends truthy items to out and the rest to rejected', async () => {
    const items = [{ amount: 250, country: 'CN' }, { amount: 20, country: 'CN' }, { amount: 500, country: 'US' }];
    expect(await runNode(filterNode, { config: { condition: 'amount > 100 and country = "CN"' }, items })).toEqual({
      out: [items[0]],
      rejected: [items[1], items[2]],
      error: [],
    });
  });

  it('uses JSONata truthiness: empty strings, arrays and missing fields are false', async () => {
    const items = [{ tags: [] }, { tags: ['vip'] }, { tags: '' }, {}];
    const out = await runNode(filterNode, { config: { condition: 'tags' }, items });
    expect(out.out).toEqual([{ tags: ['vip'] }]);
    expect(out.rejected).toHaveLength(3);
  });

  it('sends items whose condition fails at run time to error', async () => {
    const out = await runNode(filterNode, { config: { condition: 'amount > 100' }, items: [{ amount: 'lots' }, { amount: 101 }] });
    expect(out.out).toEqual([{ amount: 101 }]);
    expect(out.error).toEqual([{ item: { amount: 'lots' }, error: { code: 'expression_runtime', message: expect.stringMatching(/position/) } }]);
  });
});
