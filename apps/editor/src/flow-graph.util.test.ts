import { describe, expect, it } from '@jest/globals';
import { toGraph } from './flow-graph.util.js';

describe('toGraph', () => {
  it('places nodes at their positions and turns ports into handles and edge labels', () => {
    const { nodes, edges } = toGraph({
      name: 'f',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, name: 'Web form', position: { x: 0, y: 80 } },
        { id: 'resolve', type: 'customer.resolve', version: 1, position: { x: 280, y: 80 } },
        { id: 'upsert', type: 'customer.upsert', version: 2 },
        { id: 'notify', type: 'core.transform', version: 1 },
      ],
      edges: [
        { from: 'hook', to: 'resolve' },
        { from: 'resolve:new', to: 'upsert' },
        { from: 'resolve:review', to: 'notify:in' },
        { from: 'notify', to: 'upsert:other' },
      ],
    });
    expect(nodes.map((n) => [n.id, n.position])).toEqual([
      ['hook', { x: 0, y: 80 }],
      ['resolve', { x: 280, y: 80 }],
      // No position: laid out by depth from the trigger, below the placed nodes.
      ['upsert', { x: 840, y: 260 }],
      ['notify', { x: 560, y: 260 }],
    ]);
    expect(nodes[0]!.data).toMatchObject({ label: 'Web form', inputs: [], outputs: ['out'] });
    expect(nodes[1]!.data).toMatchObject({ label: 'resolve', inputs: ['in'], outputs: ['new', 'review'] });
    expect(nodes[2]!.data).toMatchObject({ inputs: ['in', 'other'], outputs: ['out'] });
    expect(edges).toEqual([
      { id: 'e0', source: 'hook', sourceHandle: 'out', target: 'resolve', targetHandle: 'in', label: undefined },
      { id: 'e1', source: 'resolve', sourceHandle: 'new', target: 'upsert', targetHandle: 'in', label: 'new' },
      { id: 'e2', source: 'resolve', sourceHandle: 'review', target: 'notify', targetHandle: 'in', label: 'review' },
      { id: 'e3', source: 'notify', sourceHandle: 'out', target: 'upsert', targetHandle: 'other', label: 'out → other' },
    ]);
  });
});
