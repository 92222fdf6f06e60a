import { useMemo } from 'react';
import { Background, Controls, ReactFlow, type NodeTypes } from '@xyflow/react';
import { FlowNode } from './flow-node.js';
import { toGraph } from './flow-graph.util.js';
import type { FlowDetail } from './flow.types.js';

// At module scope: a new object on each render would make React Flow remount every node.
const nodeTypes: NodeTypes = { flowNode: FlowNode };

/** The flow, read-only: nodes at their saved positions, edges labelled with their ports. */
export function FlowCanvas({ flow }: { flow: FlowDetail }) {
  const { nodes, edges } = useMemo(() => toGraph(flow.document), [flow]);
  return (
    <ReactFlow
      key={`${flow.id}@${flow.version}`}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      deleteKeyCode={null}
      fitView
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
