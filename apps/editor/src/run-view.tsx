import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Background, Controls, ReactFlow, type NodeMouseHandler, type NodeTypes } from '@xyflow/react';
import { ApiError, apiSend } from './api.client.js';
import { indexCatalog, type NodeCatalog } from './catalog.types.js';
import { FlowNode } from './flow-node.js';
import { toGraph, type FlowCanvasNode } from './flow-graph.util.js';
import type { FlowDetail } from './flow.types.js';
import { useApi } from './use-api.hook.js';
import { useCatalog } from './use-catalog.hook.js';
import { useLive, type LiveMode } from './use-live.hook.js';
import { useCan } from './session.js';
import type { RunStepView, RunView } from '@tributary/runtime';

type Item = Record<string, unknown>;

/** GET /api/runs/:id: the runtime's RunView and its steps. */
export type RunStep = RunStepView;
export type RunDetail = RunView;

const nodeTypes: NodeTypes = { flowNode: FlowNode };
const FINISHED = ['succeeded', 'failed', 'cancelled'];
const CAN_RETRY = ['failed', 'cancelled'];
const CAN_CANCEL = ['queued', 'running', 'waiting'];
const isFinished = (r: RunDetail) => FINISHED.includes(r.status);

/** `#/runs/<id>`: the run's flow version, read-only, each node coloured by its step; the selected step on the side. */
export function RunView({ token, runId, onUnauthorized }: { token: string; runId: string; onUnauthorized: () => void }) {
  const { t } = useTranslation();
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const { load: run, mode, restart } = useLive<RunDetail>(base, `${base}/events`, token, onUnauthorized, isFinished);
  const flowPath = run.state === 'ok' ? `/api/flows/${encodeURIComponent(run.value.flowId)}?version=${run.value.flowVersion}` : null;
  const [flow] = useApi<FlowDetail>(flowPath, token, onUnauthorized);
  const catalog = useCatalog(token, onUnauthorized);

  if (run.state === 'error') return <p className="error centered" data-testid="run-view-error">{run.message}</p>;
  if (run.state === 'loading') return <p className="muted centered">{t('app.loading')}</p>;
  return (
    <RunCanvas
      token={token}
      run={run.value}
      mode={mode}
      flow={flow.state === 'ok' ? flow.value : null}
      flowError={flow.state === 'error' ? flow.message : undefined}
      catalog={catalog.state === 'ok' ? catalog.value : null}
      onChanged={restart}
      onUnauthorized={onUnauthorized}
    />
  );
}

interface CanvasProps {
  token: string;
  run: RunDetail;
  mode: LiveMode;
  flow: FlowDetail | null;
  flowError?: string;
  catalog: NodeCatalog | null;
  onChanged: () => void;
  onUnauthorized: () => void;
}

function RunCanvas({ token, run, mode, flow, flowError, catalog, onChanged, onUnauthorized }: CanvasProps) {
  const { t, i18n } = useTranslation();
  const canAct = useCan('runs:write');
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const steps = useMemo(() => new Map(run.steps.map((s) => [s.nodeId, s])), [run.steps]);
  const graph = useMemo(() => (flow ? toGraph(flow.document, catalog ? indexCatalog(catalog.items) : undefined) : null), [flow, catalog]);
  const nodes = useMemo<FlowCanvasNode[]>(
    () =>
      (graph?.nodes ?? []).map((n) => ({
        ...n,
        selected: n.id === selected,
        data: { ...n.data, runStatus: steps.get(n.id)?.status ?? 'notReached' },
      })),
    [graph, steps, selected],
  );
  const edges = useMemo(
    () => (graph?.edges ?? []).map((e) => ({ ...e, animated: steps.get(e.source)?.status === 'succeeded' && !steps.has(e.target) && !FINISHED.includes(run.status) })),
    [graph, steps, run.status],
  );
  const onNodeClick = useCallback<NodeMouseHandler<FlowCanvasNode>>((_e, node) => setSelected(node.id), []);
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');

  const act = async (action: 'retry' | 'cancel') => {
    setBusy(true);
    setActionError(undefined);
    try {
      await apiSend('POST', `/api/runs/${encodeURIComponent(run.id)}/${action}`, token);
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const step = selected ? steps.get(selected) : undefined;
  return (
    <div className="editor run-view" data-testid="run-view" data-run-status={run.status}>
      <div className="editor-toolbar">
        <a href={`#/runs/flow/${encodeURIComponent(run.flowId)}`} className="btn ghost" data-testid="run-back">
          ← {t('run.back')}
        </a>
        <strong>{t('run.title', { id: run.id.slice(0, 8) })}</strong>
        <span className={`pill status-${run.status}`} data-testid="run-view-status">
          {t(`status.${run.status}`, { defaultValue: run.status })}
        </span>
        <a href={`#/flows/${encodeURIComponent(run.flowId)}`} className="muted small" data-testid="run-flow-link">
          {flow?.name ?? run.flowId} · v{run.flowVersion}
        </a>
        <span className="spacer" />
        <span className={`muted small live-${mode}`} data-testid="run-live-mode" data-mode={mode}>
          {mode === 'live' ? `● ${t('run.live')}` : mode === 'polling' ? t('run.polling') : ''}
        </span>
        {canAct && CAN_RETRY.includes(run.status) ? (
          <button className="btn primary" disabled={busy} onClick={() => void act('retry')} data-testid="run-retry">
            {t('run.retry')}
          </button>
        ) : null}
        {canAct && CAN_CANCEL.includes(run.status) ? (
          <button className="btn" disabled={busy} onClick={() => void act('cancel')} data-testid="run-cancel">
            {t('run.cancel')}
          </button>
        ) : null}
      </div>
      {actionError ? (
        <div className="notice error" role="alert" data-testid="run-action-error">
          <span>{actionError}</span>
          <button className="btn ghost small" onClick={() => setActionError(undefined)} aria-label={t('app.dismiss')}>
            ×
          </button>
        </div>
      ) : null}
      <div className="editor-body">
        <div className="canvas" data-testid="run-canvas">
          {flowError ? <p className="error centered">{flowError}</p> : null}
          {graph ? (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodeClick={onNodeClick}
              onPaneClick={() => setSelected(null)}
              nodesDraggable={false}
              nodesConnectable={false}
              edgesFocusable={false}
              deleteKeyCode={null}
              fitView
              fitViewOptions={{ padding: 0.2 }}
              proOptions={{ hideAttribution: true }}
            >
              <Background />
              <Controls showInteractive={false} />
            </ReactFlow>
          ) : null}
        </div>
        <aside className="side run-side" data-testid="run-side">
          <section className="run-summary" data-testid="run-summary">
            <dl className="run-facts">
              <dt>{t('run.status')}</dt>
              <dd>{t(`status.${run.status}`, { defaultValue: run.status })}</dd>
              <dt>{t('run.trigger')}</dt>
              <dd data-testid="run-trigger">
                {run.trigger.kind} · <code>{run.trigger.nodeId}</code>
              </dd>
              <dt>{t('run.created')}</dt>
              <dd>{time(run.createdAt)}</dd>
              <dt>{t('run.started')}</dt>
              <dd>{time(run.startedAt)}</dd>
              <dt>{t('run.finished')}</dt>
              <dd>{time(run.finishedAt)}</dd>
              {run.resumeAt ? (
                <>
                  <dt>{t('run.resumeAt')}</dt>
                  <dd data-testid="run-resume-at">{time(run.resumeAt)}</dd>
                </>
              ) : null}
              {run.retries ? (
                <>
                  <dt>{t('run.retries')}</dt>
                  <dd>{run.retries}</dd>
                </>
              ) : null}
            </dl>
            {run.error ? (
              <>
                <h3>{t('run.error')}</h3>
                <pre className="json error" data-testid="run-error">
                  {JSON.stringify(run.error, null, 2)}
                </pre>
              </>
            ) : null}
          </section>
          <section className="run-step" data-testid="run-step-panel">
            {!selected ? <p className="muted">{t('run.selectStep')}</p> : null}
            {selected && !step ? (
              <>
                <h3>
                  {t('run.step')} <code>{selected}</code>
                </h3>
                <p className="muted" data-testid="run-step-not-reached">{t('run.notReached')}</p>
              </>
            ) : null}
            {step ? (
              <>
                <h3>
                  {t('run.step')} <code>{step.nodeId}</code>{' '}
                  <span className={`pill status-${step.status}`} data-testid="run-step-status">
                    {t(`status.${step.status}`, { defaultValue: step.status })}
                  </span>
                </h3>
                <dl className="run-facts">
                  <dt>{t('run.attempts')}</dt>
                  <dd data-testid="run-step-attempts">{step.attempts}</dd>
                  <dt>{t('run.started')}</dt>
                  <dd>{time(step.startedAt)}</dd>
                  <dt>{t('run.finished')}</dt>
                  <dd>{time(step.finishedAt)}</dd>
                  {step.resumeAt ? (
                    <>
                      <dt>{t('run.resumeAt')}</dt>
                      <dd>{time(step.resumeAt)}</dd>
                    </>
                  ) : null}
                </dl>
                {step.error ? (
                  <>
                    <h4>{t('run.error')}</h4>
                    <pre className="json error" data-testid="run-step-error">
                      {JSON.stringify(step.error, null, 2)}
                    </pre>
                  </>
                ) : null}
                <h4>{t('run.input')}</h4>
                <Items items={step.input} testId="run-step-input" />
                {Object.entries(step.output ?? {}).map(([port, items]) => (
                  <div key={port}>
                    <h4>
                      {t('run.output')} · {t('run.port', { port })}
                    </h4>
                    <Items items={items} testId={`run-step-output-${port}`} />
                  </div>
                ))}
              </>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}

const isFlat = (items: Item[]) =>
  items.length > 0 && items.every((it) => it !== null && typeof it === 'object' && !Array.isArray(it) && Object.values(it).every((v) => v === null || typeof v !== 'object'));

/** Items as JSON, or as a table when every item is a flat object. */
function Items({ items, testId }: { items: Item[] | null; testId: string }) {
  const { t } = useTranslation();
  const list = items ?? [];
  const flat = isFlat(list);
  const [view, setView] = useState<'table' | 'json'>('table');
  const columns = useMemo(() => (flat ? [...new Set(list.flatMap((it) => Object.keys(it)))] : []), [flat, list]);
  return (
    <div className="items-view" data-testid={testId}>
      <div className="items-head">
        <span className="muted small">{t('run.items', { count: list.length })}</span>
        {flat ? (
          <span className="items-toggle">
            <button className={`btn ghost small${view === 'table' ? ' active' : ''}`} onClick={() => setView('table')} data-testid={`${testId}-table-toggle`}>
              {t('run.table')}
            </button>
            <button className={`btn ghost small${view === 'json' ? ' active' : ''}`} onClick={() => setView('json')} data-testid={`${testId}-json-toggle`}>
              {t('run.json')}
            </button>
          </span>
        ) : null}
      </div>
      {flat && view === 'table' ? (
        <div className="items-table-wrap">
          <table className="table items-table" data-testid={`${testId}-table`}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.map((it, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{it[c] === undefined ? '' : String(it[c])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <pre className="json" data-testid={`${testId}-json`}>
          {JSON.stringify(items, null, 2)}
        </pre>
      )}
    </div>
  );
}
