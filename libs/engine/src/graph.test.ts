import { describe, expect, it } from '@jest/globals';
import { FlowGraph, parseEdge, parseEndpoint } from './graph.js';

const graph = (ids: string[], edges: Array<[string, string]>) => new FlowGraph(ids, edges.map(([from, to], i) => parseEdge({ from, to }, i)));

describe('FlowGraph', () => {
  it('parses endpoints with default ports', () => {
    expect(parseEndpoint('a', 'out')).toEqual({ nodeId: 'a', port: 'out' });
    expect(parseEndpoint('a:error', 'out')).toEqual({ nodeId: 'a', port: 'error' });
    expect(parseEdge({ from: 'a', to: 'b' }, 3)).toEqual({ index: 3, from: 'a', fromPort: 'out', to: 'b', toPort: 'in' });
  });

  it('orders topologically with document order breaking ties', () => {
    const g = graph(['d', 'c', 'b', 'a'], [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
    expect(g.topologicalOrder()).toEqual(['a', 'c', 'b', 'd']);
    expect(g.topologicalOrder(new Set(['a', 'b']))).toEqual(['a', 'b']);
  });

  it('finds every cycle and refuses to order one', () => {
    const g = graph(['a', 'b', 'c', 'd', 'e'], [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'b'],
      ['d', 'd'],
      ['a', 'e'],
    ]);
    expect(g.cycles()).toEqual([['b', 'c'], ['d']]);
    expect(() => g.topologicalOrder()).toThrow(/cycle through b, c, d/);
  });

  it('computes reachability both ways, ignoring edges to unknown nodes', () => {
    const g = graph(['t', 'a', 'b', 'x'], [
      ['t', 'a'],
      ['a', 'b'],
      ['x', 'b'],
      ['b', 'ghost'],
    ]);
    expect([...g.reachableFrom(['t'])].sort()).toEqual(['a', 'b', 't']);
    expect([...g.ancestorsOf('b')].sort()).toEqual(['a', 'b', 't', 'x']);
    expect(g.out('b')).toEqual([]);
  });
});
