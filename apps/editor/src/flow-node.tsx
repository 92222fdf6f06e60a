import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowCanvasNode } from './flow-graph.util.js';
import { NodeIcon } from './node-icon.js';
import { TestedBadge } from './step-test-panel.js';

/** Height of the title block and of one port row, in px (matches styles.css). */
const HEADER_PX = 52;
const ROW_PX = 20;

const isPlain = (ports: string[], plain: string) => ports.length === 0 || (ports.length === 1 && ports[0] === plain);

/**
 * One handle per port. A node with only the default port gets it centred; named ports get a
 * row each under the title, with the handle at the row's height.
 */
function PortHandles({ nodeId, ports, type, plain }: { nodeId: string; ports: string[]; type: 'source' | 'target'; plain: string }) {
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
          style={named ? { top: HEADER_PX + i * ROW_PX + ROW_PX / 2 } : undefined}
          data-testid={`handle-${nodeId}-${type === 'source' ? 'out' : 'in'}-${port}`}
        />
      ))}
    </>
  );
}

/** A port's translated label where the node declares one; its name (what edges and flow JSON use) on hover. */
function PortLabel({ port, label }: { port: string; label?: string }) {
  return label ? <li title={port}>{label}</li> : <li>{port}</li>;
}

/** The badges that need translations: only nodes that show one subscribe to the language (a flow has hundreds of nodes). */
function ProblemBadge({ id, problems }: { id: string; problems: Array<{ message: string }> }) {
  const { t } = useTranslation();
  return (
    <span className="flow-node-badge" title={problems.map((p) => p.message).join('\n')} data-testid={`flow-node-problems-${id}`}>
      {t('editor.problemCount', { count: problems.length })}
    </span>
  );
}

function RunStatusPill({ id, status }: { id: string; status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`pill status-${status}`} data-testid={`flow-node-status-${id}`}>
      {t(`status.${status}`, { defaultValue: status })}
    </span>
  );
}

function FlowNodeView({ id, data, selected }: NodeProps<FlowCanvasNode>) {
  const namedIn = !isPlain(data.inputs, 'in');
  const namedOut = !isPlain(data.outputs, 'out');
  const rows = Math.max(namedIn ? data.inputs.length : 0, namedOut ? data.outputs.length : 0);
  const problems = data.problems ?? [];
  return (
    <div
      className={`flow-node${selected ? ' selected' : ''}${data.disabled ? ' disabled' : ''}${problems.length ? ' invalid' : ''}${data.runStatus ? ` run-${data.runStatus}` : ''}`}
      data-testid={`flow-node-${id}`}
      data-run-status={data.runStatus}
    >
      <PortHandles nodeId={id} ports={data.inputs} type="target" plain="in" />
      <div className="flow-node-header">
        <NodeIcon title={data.title ?? data.type} category={data.category} icon={data.icon} />
        <div className="flow-node-text">
          <div className="flow-node-label">{data.label}</div>
          <div className="flow-node-type">
            {data.title ?? data.type} · v{data.version}
          </div>
        </div>
        {problems.length ? <ProblemBadge id={id} problems={problems} /> : null}
        {data.runStatus ? <RunStatusPill id={id} status={data.runStatus} /> : null}
      </div>
      {rows > 0 ? (
        <div className="flow-node-ports">
          <ul className="ports-in">{namedIn ? data.inputs.map((p) => <PortLabel key={p} port={p} label={data.portLabels?.[p]} />) : null}</ul>
          <ul className="ports-out">{namedOut ? data.outputs.map((p) => <PortLabel key={p} port={p} label={data.portLabels?.[p]} />) : null}</ul>
        </div>
      ) : null}
      <PortHandles nodeId={id} ports={data.outputs} type="source" plain="out" />
      <TestedBadge nodeId={id} />
    </div>
  );
}

export const FlowNode = memo(FlowNodeView);
