import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowCanvasNode } from './flow-graph.util.js';

/** Height of the title block and of one port row, in px (matches styles.css). */
const HEADER_PX = 46;
const ROW_PX = 20;

const isPlain = (ports: string[], plain: string) => ports.length === 0 || (ports.length === 1 && ports[0] === plain);

/**
 * One handle per port. A node with only the default port gets it centred; named ports get a
 * row each under the title, with the handle at the row's height.
 */
function PortHandles({ ports, type, plain }: { ports: string[]; type: 'source' | 'target'; plain: string }) {
  const position = type === 'source' ? Position.Right : Position.Left;
  const named = !isPlain(ports, plain);
  return (
    <>
      {ports.map((port, i) => (
        <Handle
          key={port}
          id={port}
          type={type}
          position={position}
          isConnectable={false}
          style={named ? { top: HEADER_PX + i * ROW_PX + ROW_PX / 2 } : undefined}
        />
      ))}
    </>
  );
}

export function FlowNode({ data, selected }: NodeProps<FlowCanvasNode>) {
  const namedIn = !isPlain(data.inputs, 'in');
  const namedOut = !isPlain(data.outputs, 'out');
  const rows = Math.max(namedIn ? data.inputs.length : 0, namedOut ? data.outputs.length : 0);
  return (
    <div className={`flow-node${selected ? ' selected' : ''}${data.disabled ? ' disabled' : ''}`}>
      <PortHandles ports={data.inputs} type="target" plain="in" />
      <div className="flow-node-header">
        <div className="flow-node-label">{data.label}</div>
        <div className="flow-node-type">
          {data.type} v{data.version}
        </div>
      </div>
      {rows > 0 ? (
        <div className="flow-node-ports">
          <ul className="ports-in">{namedIn ? data.inputs.map((p) => <li key={p}>{p}</li>) : null}</ul>
          <ul className="ports-out">{namedOut ? data.outputs.map((p) => <li key={p}>{p}</li>) : null}</ul>
        </div>
      ) : null}
      <PortHandles ports={data.outputs} type="source" plain="out" />
    </div>
  );
}
