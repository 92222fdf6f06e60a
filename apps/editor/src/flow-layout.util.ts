import dagre from '@dagrejs/dagre';
import type { Edge } from '@xyflow/react';
import type { FlowCanvasNode } from './flow-graph.util.js';

const WIDTH = 220;
const ROW_PX = 20;

/** Left-to-right layered layout with dagre; node heights follow their port rows. */
export function autoLayout(nodes: FlowCanvasNode[], edges: Edge[]): FlowCanvasNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90 });
  g.setDefaultEdgeLabel(() => ({}));
  const height = (n: FlowCanvasNode) => n.measured?.height ?? 56 + Math.max(n.data.inputs.length, n.data.outputs.length) * ROW_PX;
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? WIDTH, height: height(n) });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? WIDTH;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - height(n) / 2) } };
  });
}
