import { Component, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useEdges, useReactFlow } from '@xyflow/react';
import Form from '@rjsf/core';
import type { ErrorSchema, RegistryWidgetsType, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { outputPorts, type ConnectorSpec, type NodeSpec } from './catalog.types.js';
import { configErrorSchema, type FlowCanvasNode } from './flow-graph.util.js';
import { ConnectionWidget } from './widgets/connection-widget.js';
import type { ConfigFormContext } from './widgets/form-context.js';
import { CodeWidget, JsonataWidget } from './widgets/jsonata-widget.js';
import { useCan } from './session.js';

// `jsonata` is picked by rjsf for every `format: "jsonata"` string, nested ones included (branch rules).
const widgets: RegistryWidgetsType = { jsonata: JsonataWidget, code: CodeWidget, connection: ConnectionWidget };

/**
 * The form's layout: no submit button (the config is live), the connection picker on a node's
 * `connection`, and a code box for other `x-widget: "code"` fields (an HTML template).
 */
function uiSchemaFor(spec: NodeSpec): UiSchema {
  const ui: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  const props = (spec.configSchema.properties ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const [key, prop] of Object.entries(props)) {
    if (key === 'connection') ui[key] = { 'ui:widget': 'connection' };
    else if (prop?.['x-widget'] === 'code' && prop.type === 'string' && prop.format !== 'jsonata') ui[key] = { 'ui:widget': 'code' };
  }
  return ui;
}

/** A schema the form library cannot render must not take the editor down with it. */
class FormBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

interface Props {
  node: FlowCanvasNode;
  spec: NodeSpec | undefined;
  /** The flow id, or `new`: whose test data the expression preview reads. */
  flowKey: string;
  connectors: ConnectorSpec[];
  token: string;
  onUnauthorized: () => void;
  /** Shown when the user may test steps: brings the Test section (below the form) into view. */
  onJumpToTest?: () => void;
}

/** The selected node's settings: its name, and a form generated from its JSON Schema (no form is written by hand). */
export function ConfigPanel({ node, spec, flowKey, connectors, token, onUnauthorized, onJumpToTest }: Props) {
  const { t } = useTranslation();
  const { updateNodeData } = useReactFlow<FlowCanvasNode>();
  // Roles that cannot save flows see the settings, greyed out.
  const readOnly = !useCan('flows:write');
  const edges = useEdges();
  const problems = node.data.problems ?? [];
  const extraErrors = useMemo(() => configErrorSchema(problems) as ErrorSchema, [problems]);
  // Problems of a config field show under that field; the rest (the node itself, the config as a whole) up here.
  // The flow's problem list below the panel keeps them all.
  const unplaced = problems.filter((p) => !/^\/nodes\/\d+\/config\/./.test(p.path));
  const uiSchema = useMemo(() => (spec ? uiSchemaFor(spec) : {}), [spec]);
  const formContext = useMemo<ConfigFormContext | undefined>(
    () => (spec ? { flowKey, nodeId: node.id, spec, config: node.data.config, connectors, token, onUnauthorized } : undefined),
    [flowKey, node.id, spec, node.data.config, connectors, token, onUnauthorized],
  );

  const setConfig = (config: Record<string, unknown>) => {
    const used = edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle ?? 'out');
    const outputs = spec && spec.dynamicOutputs ? [...new Set([...outputPorts(spec, config), ...used])] : node.data.outputs;
    updateNodeData(node.id, { config, outputs });
  };

  return (
    <aside className="config-panel" aria-label={t('config.title')} data-testid="config-panel">
      <header>
        <h2>{spec?.title ?? node.data.type}</h2>
        <code className="muted small">
          {node.data.type} v{node.data.version} · {node.id}
        </code>
        {onJumpToTest ? (
          <button type="button" className="btn ghost small jump-to-test" onClick={onJumpToTest} data-testid="config-jump-to-test">
            {t('stepTest.jump')}
          </button>
        ) : null}
        {spec?.description ? <p className="muted small">{spec.description}</p> : null}
      </header>
      <label className="field">
        <span>{t('config.name')}</span>
        <input value={node.data.label} disabled={readOnly} onChange={(e) => updateNodeData(node.id, { label: e.target.value })} data-testid="config-node-name" />
      </label>
      <label className="field inline">
        <input
          type="checkbox"
          checked={node.data.disabled}
          disabled={readOnly}
          onChange={(e) => updateNodeData(node.id, { disabled: e.target.checked })}
          data-testid="config-node-disabled"
        />
        <span>{t('config.disabled')}</span>
      </label>
      {unplaced.length ? (
        <ul className="problem-list compact" data-testid="config-problems">
          {unplaced.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {spec ? (
        <div className="config-form" data-testid="config-form">
          <FormBoundary key={node.id} fallback={<p className="error">{t('config.formFailed')}</p>}>
            <Form
              schema={spec.configSchema as RJSFSchema}
              uiSchema={uiSchema}
              widgets={widgets}
              formContext={formContext}
              formData={node.data.config}
              disabled={readOnly}
              validator={validator}
              onChange={(e) => setConfig((e.formData ?? {}) as Record<string, unknown>)}
              extraErrors={extraErrors}
              showErrorList={false}
              liveValidate
              // No placeholder items for `minItems` arrays the node does not require: they would be saved as invalid nulls.
              experimental_defaultFormStateBehavior={{ arrayMinItems: { populate: 'requiredOnly' }, emptyObjectFields: 'skipEmptyDefaults' }}
              noHtml5Validate
            />
          </FormBoundary>
        </div>
      ) : (
        <p className="error">{t('config.unknownNode')}</p>
      )}
    </aside>
  );
}
