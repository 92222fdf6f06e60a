import { describe, expect, it } from '@jest/globals';
import { ConfigError, outputPorts, runNode } from '@tributary/node-sdk';
import { branchNode } from './branch.node.js';

const rules = [
  { port: 'vip', condition: 'total >= 1000' },
  { port: 'china', condition: 'country = "CN"' },
];
const items = [
  { id: 1, total: 1500, country: 'CN' },
  { id: 2, total: 10, country: 'CN' },
  { id: 3, total: 5, country: 'US' },
];

describe('core.branch', () => {
  it('derives its ports from the rules', () => {
    expect(outputPorts(branchNode, { rules, mode: 'first' })).toEqual(['vip', 'china', 'else', 'error']);
    expect(outputPorts(branchNode, { rules: [...rules, { port: 'vip', condition: 'x' }] })).toEqual(['vip', 'china', 'else', 'error']);
  });

  it('routes each item to the first matching rule, the rest to else', async () => {
    const out = await runNode(branchNode, { config: { rules }, items });
    expect(out.vip!.map((i) => i.id)).toEqual([1]);
    expect(out.china!.map((i) => i.id)).toEqual([2]);
    expect(out.else!.map((i) => i.id)).toEqual([3]);
    expect(out.error).toEqual([]);
  });

  it('routes to every matching rule in "all" mode', async () => {
    const out = await runNode(branchNode, { config: { rules, mode: 'all' }, items });
    expect(out.vip!.map((i) => i.id)).toEqual([1]);
    expect(out.china!.map((i) => i.id)).toEqual([1, 2]);
    expect(out.else!.map((i) => i.id)).toEqual([3]);
  });

  it('sends items whose condition fails at run time to error', async () => {
    const out = await runNode(branchNode, { config: { rules: [{ port: 'big', condition: 'total > 5' }] }, items: [{ total: 'x' }, { total: 9 }] });
    expect(out.big).toEqual([{ total: 9 }]);
    expect(out.error).toEqual([{ item: { total: 'x' }, error: expect.objectContaining({ code: 'expression_runtime' }) }]);
  });

  it('refuses reserved or malformed port names', async () => {
    await expect(runNode(branchNode, { config: { rules: [{ port: 'else', condition: 'true' }] } })).rejects.toBeInstanceOf(ConfigError);
    await expect(runNode(branchNode, { config: { rules: [{ port: 'a b', condition: 'true' }] } })).rejects.toBeInstanceOf(ConfigError);
    await expect(runNode(branchNode, { config: { rules: [] } })).rejects.toBeInstanceOf(ConfigError);
  });
});
