import type { Edge, Node } from '@xyflow/react';
import type { FlowDetail, FlowNodeDoc } from './flow.types.js';

export interface FlowNodeData extends Record<string, unknown> {
  label: string;
  type: string;
  version: number;
  disabled: boolean;
  inputs: string[];
  outputs: string[];
}

export type FlowCanvasNode = Node<FlowNodeData, 'flowNode'>;

function endpoint(ref: string, defaultPort: string): { node: string; port: string } {
  const i = ref.indexOf(':');
  return i < 0 ? { node: ref, port: defaultPort } : { node: ref.slice(0, i), port: ref.slice(i + 1) };
}

/** Depth of each node from the triggers: a fallback layout for nodes saved without a position. */
function depths(nodes: FlowNodeDoc[], links: Array<{ from: string; to: string }>): Map<string, number> {
  const depth = new Map(nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    for (const { from, to } of links) {
      const d = (depth.get(from) ?? 0) + 1;
      if (d > (depth.get(to) ?? 0)) depth.set(to, d);
    }
  }
  return depth;
}

/** A flow document as React Flow nodes and edges: ports become handles, and edges from or to a named port carry its name. */
export function toGraph(doc: FlowDetail['document']): { nodes: FlowCanvasNode[]; edges: Edge[] } {
  const links = doc.edges.map((e, i) => ({ i, from: endpoint(e.from, 'out'), to: endpoint(e.to, 'in') }));
  const ports = new Map(doc.nodes.map((n) => [n.id, { inputs: new Set<string>(), outputs: new Set<string>() }]));
  for (const l of links) {
    ports.get(l.from.node)?.outputs.add(l.from.port);
    ports.get(l.to.node)?.inputs.add(l.to.port);
  }
  const depth = depths(doc.nodes, links.map((l) => ({ from: l.from.node, to: l.to.node })));
  const row = new Map<number, number>();
  // Nodes saved without a position go below the ones that have one.
  const placed = doc.nodes.filter((n) => n.position).map((n) => n.position!.y);
  const top = placed.length ? Math.max(...placed) + 180 : 0;
  const nodes: FlowCanvasNode[] = doc.nodes.map((n) => {
    const d = depth.get(n.id) ?? 0;
    const r = row.get(d) ?? 0;
    row.set(d, r + 1);
    const p = ports.get(n.id)!;
    return {
      id: n.id,
      type: 'flowNode',
      position: n.position ?? { x: d * 280, y: top + r * 140 },
      data: {
        label: n.name ?? n.id,
        type: n.type,
        version: n.version,
        disabled: n.disabled === true,
        inputs: [...p.inputs],
        outputs: p.outputs.size ? [...p.outputs] : ['out'],
      },
    };
  });
  const edges: Edge[] = links.map(({ i, from, to }) => ({
    id: `e${i}`,
    source: from.node,
    sourceHandle: from.port,
    target: to.node,
    targetHandle: to.port,
    // Only named ports are worth a label; plain out → in edges stay clean.
    label: to.port !== 'in' ? `${from.port} → ${to.port}` : from.port !== 'out' ? from.port : undefined,
  }));
  return { nodes, edges };
}
