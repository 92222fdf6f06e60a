import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Background, Controls, ReactFlow, ReactFlowProvider, type NodeTypes } from '@xyflow/react';
import { ApiError, apiGet, apiSend } from './api.client.js';
import type { NodeSpec } from './catalog.types.js';
import { FlowDiffView } from './flow-diff-view.js';
import { diffFlows, type DiffOptions, type FlowDiff } from './flow-diff.util.js';
import { toGraph } from './flow-graph.util.js';
import { FlowNode } from './flow-node.js';
import type { FlowDetail, FlowDocument, FlowProblem } from './flow.types.js';
import { LoadStatus } from './load-status.js';
import { ModalDialog } from './modal-dialog.js';
import { useApi } from './use-api.hook.js';
import type { FlowVersionSummary } from '@tributary/runtime';

/** One row of `GET /api/flows/:id/versions`. */
export type FlowVersionRow = FlowVersionSummary;

/** The answer of `POST /api/flows/:id/versions/:v/restore`. */
export interface RestoreResult {
  id: string;
  version: number;
  restoredFrom: number;
  publishedVersion: number | null;
  webhooks: Array<{ nodeId: string; url: string }>;
}

// Saved versions never change: each is fetched once per page load.
const versionDocs = new Map<string, Promise<FlowDocument>>();

/** The document of a saved version (`GET /api/flows/:id?version=N`), cached. */
export function loadVersion(token: string, flowId: string, version: number): Promise<FlowDocument> {
  const key = `${flowId}@${version}`;
  let hit = versionDocs.get(key);
  if (!hit) {
    hit = apiGet<FlowDetail>(`/api/flows/${encodeURIComponent(flowId)}?version=${version}`, token).then((d) => d.document);
    hit.catch(() => versionDocs.delete(key));
    versionDocs.set(key, hit);
  }
  return hit;
}

const nodeTypes: NodeTypes = { flowNode: FlowNode };

interface PanelProps {
  token: string;
  flowId: string;
  /** Changes after each save, publish and restore: the list reloads. */
  refreshKey: string;
  diffOptions: DiffOptions;
  onView: (row: FlowVersionRow) => void;
  onRestore: (version: number) => void;
  onClose: () => void;
  onUnauthorized: () => void;
}

type Compare = { from: number; to: number; diff: FlowDiff | null; error?: string };

/** The flow's saved versions, newest first: which is live and which is the draft; view, compare, restore. */
export function VersionsPanel({ token, flowId, refreshKey, diffOptions, onView, onRestore, onClose, onUnauthorized }: PanelProps) {
  const { t, i18n } = useTranslation();
  const [list, reload] = useApi<{ items: FlowVersionRow[] }>(`/api/flows/${encodeURIComponent(flowId)}/versions`, token, onUnauthorized);
  const [selected, setSelected] = useState<number | null>(null);
  const [compare, setCompare] = useState<Compare | null>(null);
  useEffect(() => {
    reload();
    setCompare(null); // it compared against a live or draft version that may have just changed
  }, [refreshKey, reload]);

  const rows = list.state === 'ok' ? list.value.items : [];
  const live = rows.find((r) => r.published)?.version ?? null;
  const latest = rows.find((r) => r.latest)?.version ?? null;

  const runCompare = (from: number, to: number) => {
    setCompare({ from, to, diff: null });
    Promise.all([loadVersion(token, flowId, from), loadVersion(token, flowId, to)]).then(
      ([a, b]) => setCompare((c) => (c && c.from === from && c.to === to ? { ...c, diff: diffFlows(a, b, diffOptions) } : c)),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        setCompare((c) => (c ? { ...c, error: err instanceof Error ? err.message : String(err) } : c));
      },
    );
  };

  return (
    <aside className="versions-panel" data-testid="versions-panel">
      <header className="versions-head">
        <h3>{t('versions.title')}</h3>
        <span className="spacer" />
        <button className="btn ghost small" onClick={onClose} aria-label={t('versions.close')} data-testid="versions-close">
          ×
        </button>
      </header>
      <LoadStatus load={list} empty={t('versions.empty')} />
      <ol className="version-list">
        {rows.map((r) => {
          const isSelected = selected === r.version;
          return (
            <li
              key={r.version}
              className={`version-row${isSelected ? ' selected' : ''}`}
              data-testid={`version-row-${r.version}`}
              data-published={r.published}
              data-latest={r.latest}
            >
              <button
                className="version-head"
                onClick={() => {
                  setSelected(isSelected ? null : r.version);
                  setCompare(null);
                }}
                aria-expanded={isSelected}
                data-testid={`version-select-${r.version}`}
              >
                <span className="version-num">v{r.version}</span>
                {r.published ? <span className="pill success">{t('versions.live')}</span> : null}
                {r.latest && !r.published ? <span className="pill draft">{t('versions.draft')}</span> : null}
                {r.restoredFrom !== null ? (
                  <span className="pill" data-testid={`version-restored-${r.version}`}>
                    {t('versions.restoredFrom', { version: r.restoredFrom })}
                  </span>
                ) : null}
                <span className="version-meta muted small">
                  {new Date(r.createdAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })} · {t('versions.nodes', { count: r.nodeCount })}
                </span>
              </button>
              {isSelected ? (
                <div className="version-actions">
                  <button className="btn small" onClick={() => onView(r)} data-testid="version-view">
                    {t('versions.view')}
                  </button>
                  {live !== null && live !== r.version ? (
                    <button className="btn small" onClick={() => runCompare(live, r.version)} data-testid="version-compare-live">
                      {t('versions.compareLive')}
                    </button>
                  ) : null}
                  {latest !== null && latest !== live && latest !== r.version ? (
                    <button className="btn small" onClick={() => runCompare(latest, r.version)} data-testid="version-compare-draft">
                      {t('versions.compareDraft')}
                    </button>
                  ) : null}
                  {!r.latest ? (
                    <button className="btn small" onClick={() => onRestore(r.version)} data-testid="version-restore">
                      {t('versions.restore')}
                    </button>
                  ) : null}
                </div>
              ) : null}
              {isSelected && compare ? (
                <div className="version-compare" data-testid="version-compare">
                  <p className="small muted">{t('versions.comparing', { from: compare.from, to: compare.to })}</p>
                  {compare.error ? <p className="error small">{compare.error}</p> : null}
                  {!compare.diff && !compare.error ? <p className="muted small">{t('app.loading')}</p> : null}
                  {compare.diff ? <FlowDiffView diff={compare.diff} /> : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

interface PreviewProps {
  row: FlowVersionRow;
  document: FlowDocument | null;
  error?: string;
  specs: Map<string, NodeSpec>;
  onRestore: (version: number) => void;
  onClose: () => void;
}

/** A saved version over the canvas, read-only; the canvas being edited stays as it is underneath. */
export function VersionPreview({ row, document, error, specs, onRestore, onClose }: PreviewProps) {
  const { t, i18n } = useTranslation();
  const graph = useMemo(() => (document ? toGraph(document, specs) : null), [document, specs]);
  return (
    <div className="version-preview" data-testid="version-preview" data-version={row.version}>
      <div className="version-preview-bar">
        <strong>{t('versions.viewing', { version: row.version })}</strong>
        {row.published ? <span className="pill success">{t('versions.live')}</span> : null}
        <span className="muted small">{t('versions.viewingSaved', { when: new Date(row.createdAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) })}</span>
        <span className="spacer" />
        {!row.latest ? (
          <button className="btn small" onClick={() => onRestore(row.version)} data-testid="version-preview-restore">
            {t('versions.restoreThis')}
          </button>
        ) : null}
        <button className="btn small primary" onClick={onClose} data-testid="version-preview-close">
          {t('versions.backToEditing')}
        </button>
      </div>
      <div className="version-preview-canvas">
        {error ? <p className="error centered">{error}</p> : null}
        {!graph && !error ? <p className="muted centered">{t('app.loading')}</p> : null}
        {graph ? (
          // Its own provider: the editor's React Flow store must not see these nodes.
          <ReactFlowProvider>
            <ReactFlow
              nodes={graph.nodes}
              edges={graph.edges}
              nodeTypes={nodeTypes}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              edgesFocusable={false}
              deleteKeyCode={null}
              fitView
              fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} size={1} />
              <Controls showInteractive={false} />
            </ReactFlow>
          </ReactFlowProvider>
        ) : null}
      </div>
    </div>
  );
}

interface RestoreProps {
  token: string;
  flowId: string;
  version: number;
  /** The canvas has unsaved changes, which the restore replaces. */
  dirty: boolean;
  /** Whether the flow has a live version: then publishing the restored copy is offered checked. */
  isPublished: boolean;
  onDone: (res: RestoreResult, document: FlowDocument) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

/** Confirms a rollback and runs it (`POST /api/flows/:id/versions/:v/restore`). */
export function RestoreDialog({ token, flowId, version, dirty, isPublished, onDone, onCancel, onUnauthorized }: RestoreProps) {
  const { t } = useTranslation();
  const [publish, setPublish] = useState(isPublished);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await apiSend<RestoreResult>('POST', `/api/flows/${encodeURIComponent(flowId)}/versions/${version}/restore`, token, { publish });
      onDone(res, await loadVersion(token, flowId, res.version));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      // An old version can use a node version removed since: the API names each problem.
      const problems = err instanceof ApiError && err.code === 'flow_invalid' && Array.isArray(err.details) ? (err.details as FlowProblem[]) : [];
      setError(problems.length ? problems.map((p) => `${p.path || '/'}: ${p.message}`).join('\n') : err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <ModalDialog
      title={t('versions.restoreTitle', { version })}
      onClose={onCancel}
      testId="restore-dialog"
      actions={
        <>
          <button className="btn" onClick={onCancel} disabled={busy} data-testid="restore-cancel">
            {t('versions.cancel')}
          </button>
          <button className="btn primary" onClick={() => void run()} disabled={busy} data-testid="restore-confirm">
            {t('versions.restoreConfirm')}
          </button>
        </>
      }
    >
      <p>{t('versions.restoreBody', { version })}</p>
      {dirty ? <p className="callout warn small" data-testid="restore-discards">{t('versions.restoreDiscards')}</p> : null}
      <label className="field inline">
        <input type="checkbox" checked={publish} onChange={(e) => setPublish(e.target.checked)} data-testid="restore-publish" />
        {t('versions.restorePublish')}
      </label>
      {error ? (
        <p className="error pre-line" role="alert" data-testid="restore-error">
          {error}
        </p>
      ) : null}
    </ModalDialog>
  );
}
