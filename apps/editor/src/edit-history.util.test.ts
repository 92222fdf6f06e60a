import { describe, expect, it } from '@jest/globals';
import { copySelection, EditHistory, pasteClip } from './edit-history.util.js';
import { toGraph } from './flow-graph.util.js';

const graph = () =>
  toGraph({
    name: 'f',
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, position: { x: 0, y: 0 } },
      { id: 'transform', type: 'core.transform', version: 1, position: { x: 300, y: 0 } },
      { id: 'save', type: 'customer.upsert', version: 1, name: 'Save', position: { x: 600, y: 0 } },
    ],
    edges: [
      { from: 'hook', to: 'transform' },
      { from: 'transform', to: 'save' },
    ],
  });

describe('EditHistory', () => {
  it('undoes and redoes, and a new change clears redo', () => {
    const h = new EditHistory(2);
    const s = (n: number) => ({ nodes: [], edges: [{ id: String(n), source: 'a', target: 'b' }] });
    h.record(s(1));
    h.record(s(2));
    h.record(s(3)); // over the limit: s(1) is dropped
    expect(h.undo(s(4))).toEqual(s(3));
    expect(h.undo(s(3))).toEqual(s(2));
    expect(h.undo(s(2))).toBeNull();
    expect(h.redo(s(2))).toEqual(s(3));
    h.record(s(5));
    expect(h.canRedo).toBe(false);
  });
});

describe('copy and paste', () => {
  it('copies selected nodes with the edges between them, and pastes them under new ids', () => {
    const { nodes, edges } = graph();
    nodes[1]!.selected = true;
    nodes[2]!.selected = true;
    const clip = copySelection(nodes, edges);
    expect(clip.nodes.map((n) => n.id)).toEqual(['transform', 'save']);
    expect(clip.edges).toHaveLength(1);
    const pasted = pasteClip(clip, nodes.map((n) => n.id), { x: 40, y: 40 });
    expect(pasted.nodes.map((n) => [n.id, n.data.label, n.position])).toEqual([
      ['transform_2', 'transform_2', { x: 340, y: 40 }],
      ['upsert', 'Save', { x: 640, y: 40 }],
    ]);
    expect(pasted.edges.map((e) => [e.source, e.target])).toEqual([['transform_2', 'upsert']]);
  });
});
