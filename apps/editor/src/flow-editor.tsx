import { lazy, memo, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addEdge,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type FinalConnectionState,
  type NodeTypes,
} from '@xyflow/react';
import { ApiError, apiSend } from './api.client.js';
import { indexCatalog, latestVersions, specKey, type ConnectorSpec, type NodeSpec } from './catalog.types.js';
import { FlowNode } from './flow-node.js';
import { checkConnection, edgeLabel, fromGraph, newNodeId, nodeData, problemsByNode, toGraph, type FlowCanvasNode } from './flow-graph.util.js';
import { autoLayout } from './flow-layout.util.js';
import { copySelection, EditHistory, pasteClip, type Snapshot } from './edit-history.util.js';
import { DRAG_MIME, NodePalette } from './node-palette.js';
import type { FlowDetail, FlowDocument, FlowProblem } from './flow.types.js';
import { useCan } from './session.js';
import { StepTestDrawer, StepTestScope, StepTestSection } from './step-test-panel.js';
import { testData } from './test-data.store.js';
import { diffFlows, hasChanges, type DiffOptions } from './flow-diff.util.js';
import { useDiffSummary } from './flow-diff-view.js';
import { PublishDialog, type PublishPlan } from './publish-dialog.js';
import { LeaveDialog, useLeaveGuard } from './unsaved-changes.js';
import { loadVersion, RestoreDialog, VersionPreview, VersionsPanel, type FlowVersionRow, type RestoreResult } from './versions-panel.js';

// The form library and its JSON Schema validator are most of the bundle: loaded when a node is first selected.
// Memoized: a drag gives the canvas new positions every frame, which the form must not re-render for.
const ConfigPanel = lazy(() => import('./config-panel.js').then((m) => ({ default: memo(m.ConfigPanel) })));
const Palette = memo(NodePalette);

// At module scope: a new object on each render would make React Flow remount every node.
const nodeTypes: NodeTypes = { flowNode: FlowNode };
const deleteKeys = ['Backspace', 'Delete'];

interface Props {
  token: string;
  /** `null` for a new, unsaved flow. */
  flow: FlowDetail | null;
  catalog: NodeSpec[];
  /** Connectors and connection types with the schema of their secrets (the connection form). */
  connectors: ConnectorSpec[];
  onSaved: (id: string) => void;
  onUnauthorized: () => void;
}

export function FlowEditor(props: Props) {
  return (
    <ReactFlowProvider>
      {/* Canvas nodes read their step test results through it. */}
      <StepTestScope.Provider value={props.flow?.id ?? 'new'}>
        <EditorInner {...props} />
      </StepTestScope.Provider>
    </ReactFlowProvider>
  );
}

/** A translation key with its values (so a language switch re-translates it), or the API's own message. */
type Notice = { kind: 'info' | 'error' | 'success'; key?: string; values?: Record<string, unknown>; text?: string } | null;

function EditorInner({ token, flow, catalog, connectors, onSaved, onUnauthorized }: Props) {
  const { t } = useTranslation();
  const canSave = useCan('flows:write');
  const canPublish = useCan('flows:publish');
  // Testing a step runs it for real: the same right as starting a run.
  const canTest = useCan('flows:run');
  // The Test section sits below the settings form: a long form (customer.upsert) would hide it.
  const jumpToTest = useCallback(() => document.querySelector('[data-testid="step-test"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' }), []);
  const specs = useMemo(() => indexCatalog(catalog), [catalog]);
  const palette = useMemo(() => latestVersions(catalog), [catalog]);
  // State, not derived from `flow`: a restore replaces the document the editor started from.
  const [base, setBase] = useState<FlowDocument>(() => flow?.document ?? { schemaVersion: 1, name: '', nodes: [], edges: [] });
  const initial = useMemo(() => toGraph(base, specs), [base, specs]);
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowCanvasNode>(initial.nodes);
  // A language switch hands in the catalogue localized again: node cards take its titles and port labels.
  useEffect(() => {
    setNodes((ns) => {
      const stale = (n: FlowCanvasNode, spec: NodeSpec | undefined): spec is NodeSpec => !!spec && (spec.title !== n.data.title || spec.portLabels !== n.data.portLabels);
      if (!ns.some((n) => stale(n, specs.get(specKey(n.data.type, n.data.version))))) return ns;
      return ns.map((n) => {
        const spec = specs.get(specKey(n.data.type, n.data.version));
        return stale(n, spec) ? { ...n, data: { ...n.data, title: spec.title, portLabels: spec.portLabels } } : n;
      });
    });
  }, [specs, setNodes]);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(initial.edges);
  const [name, setName] = useState(base.name);
  const [version, setVersion] = useState(flow?.version ?? 0);
  const [publishedVersion, setPublishedVersion] = useState(flow?.publishedVersion ?? null);
  const [webhooks, setWebhooks] = useState(flow?.publishedVersion != null ? (flow.webhooks ?? []) : []);
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const { screenToFlowPosition, fitView, setCenter, getViewport } = useReactFlow<FlowCanvasNode>();
  const wrapper = useRef<HTMLDivElement>(null);
  const currentDoc = () => fromGraph({ ...base, name: name.trim() || t('editor.untitled') }, nodes, edges);

  // The document as last saved: the unsaved-changes marker, and publishing an unchanged flow makes no new version.
  // A move counts as a change (positions are saved), though not as a change of behaviour.
  const [savedDoc, setSavedDoc] = useState<FlowDocument | null>(() => (flow ? fromGraph(base, initial.nodes, initial.edges) : null));
  // Deferred: on a big flow the diff must not slow a drag down; the marker may follow a frame later.
  const lazyNodes = useDeferredValue(nodes);
  const lazyEdges = useDeferredValue(edges);
  const draftDoc = useMemo(() => fromGraph({ ...base, name: name.trim() || t('editor.untitled') }, lazyNodes, lazyEdges), [base, name, lazyNodes, lazyEdges, t]);
  // The settings form fills in schema defaults as it changes a config: the same flow, not a change.
  const diffOptions = useMemo<DiffOptions>(() => ({ configSchema: (type, v) => specs.get(specKey(type, v))?.configSchema }), [specs]);
  const unsaved = useMemo(() => (savedDoc ? diffFlows(savedDoc, draftDoc, diffOptions) : null), [savedDoc, draftDoc, diffOptions]);
  const dirty = unsaved ? hasChanges(unsaved) : lazyNodes.length > 0 || name.trim() !== '';
  const diffSummary = useDiffSummary();
  const leaveGuard = useLeaveGuard(dirty);
  const [showVersions, setShowVersions] = useState(false);
  const [viewing, setViewing] = useState<{ row: FlowVersionRow; doc: FlowDocument | null; error?: string } | null>(null);
  const [restoreOf, setRestoreOf] = useState<number | null>(null);
  const [publishPlan, setPublishPlan] = useState<PublishPlan | null>(null);

  // Undo/redo and the clipboard read the latest canvas through a ref, so key handlers never see a stale one.
  const current = useRef<Snapshot>({ nodes, edges });
  current.current = { nodes, edges };
  const history = useRef(new EditHistory());
  const clipboard = useRef<Snapshot | null>(null);
  const [, setHistoryTick] = useState(0);
  const record = useCallback(() => {
    history.current.record(current.current);
    setHistoryTick((n) => n + 1);
  }, []);
  const restore = useCallback(
    (s: Snapshot | null) => {
      if (!s) return;
      setNodes(s.nodes);
      setEdges(s.edges);
      setHistoryTick((n) => n + 1);
    },
    [setNodes, setEdges],
  );
  const undo = useCallback(() => restore(history.current.undo(current.current)), [restore]);
  const redo = useCallback(() => restore(history.current.redo(current.current)), [restore]);
  const copy = useCallback(() => {
    const clip = copySelection(current.current.nodes, current.current.edges);
    if (clip.nodes.length) clipboard.current = clip;
  }, []);
  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (!clip) return;
    record();
    const { nodes: ns, edges: es } = current.current;
    const pasted = pasteClip(clip, ns.map((n) => n.id), { x: 40, y: 40 });
    setNodes([...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes]);
    setEdges([...es.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges]);
    clipboard.current = { nodes: pasted.nodes, edges: pasted.edges }; // the next paste cascades
  }, [record, setNodes, setEdges]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') redo();
      else if (k === 'c') copy();
      else if (k === 'v') paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, copy, paste]);

  const selected = nodes.filter((n) => n.selected);
  const selectedEdges = edges.filter((e) => e.selected);

  const addNode = useCallback(
    (spec: NodeSpec, position: { x: number; y: number }) => {
      record();
      setNodes((ns) => {
        const id = newNodeId(spec.id, ns.map((n) => n.id));
        const node: FlowCanvasNode = {
          id,
          type: 'flowNode',
          position,
          selected: true,
          data: nodeData({ id, type: spec.id, version: spec.version, config: {} }, spec),
        };
        return [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node];
      });
    },
    [setNodes, record],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const spec = specs.get(e.dataTransfer.getData(DRAG_MIME));
      if (!spec) return;
      // The node's header centred under the pointer.
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(spec, { x: p.x - 110, y: p.y - 26 });
    },
    [specs, addNode, screenToFlowPosition],
  );

  /** Double-click in the palette: add at the middle of the visible canvas. */
  const addAtCenter = useCallback(
    (spec: NodeSpec) => {
      const r = wrapper.current?.getBoundingClientRect();
      const p = r ? screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
      addNode(spec, { x: p.x - 110, y: p.y - 30 });
    },
    [addNode, screenToFlowPosition],
  );

  // Reads the canvas through the ref: a callback that changed with every drag frame would be handed to React Flow each frame.
  const isValidConnection = useCallback(
    (c: Connection | Edge) => checkConnection(c as Connection, current.current.nodes, current.current.edges) === null,
    [],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const reason = checkConnection(c, current.current.nodes, current.current.edges);
      if (reason) return setNotice({ kind: 'error', key: reason });
      const label = edgeLabel(c.sourceHandle ?? 'out', c.targetHandle ?? 'in');
      record();
      setEdges((es) => addEdge({ ...c, id: `e-${c.source}-${c.sourceHandle}-${c.target}-${c.targetHandle}`, label }, es));
      setNotice(null);
    },
    [setEdges, record],
  );

  /** A drop React Flow refused: say why, instead of silently doing nothing. */
  const onConnectEnd = useCallback(
    (_e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const fromSource = state.fromHandle.type === 'source';
      const [src, dst] = fromSource ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      if (src.type === dst.type) return setNotice({ kind: 'error', key: 'connect.sameSide' });
      const reason = checkConnection(
        { source: src.nodeId, sourceHandle: src.id ?? null, target: dst.nodeId, targetHandle: dst.id ?? null },
        current.current.nodes,
        current.current.edges,
      );
      if (reason) setNotice({ kind: 'error', key: reason });
    },
    [],
  );

  const layout = useCallback(() => {
    record();
    setNodes((ns) => autoLayout(ns, edges));
    window.requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 200 }));
  }, [edges, setNodes, fitView, record]);

  const deleteSelection = useCallback(() => {
    record();
    const gone = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
    setNodes((ns) => ns.filter((n) => !gone.has(n.id)));
    setEdges((es) => es.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)));
  }, [nodes, setNodes, setEdges, record]);

  const showProblems = useCallback(
    (list: FlowProblem[], doc: FlowDocument) => {
      setProblems(list);
      const byNode = problemsByNode(list, doc);
      setNodes((ns) => ns.map((n) => (n.data.problems?.length || byNode.has(n.id) ? { ...n, data: { ...n.data, problems: byNode.get(n.id) } } : n)));
    },
    [setNodes],
  );

  const failed = useCallback(
    (err: unknown, doc: FlowDocument) => {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      if (err instanceof ApiError && err.code === 'flow_invalid' && Array.isArray(err.details)) {
        showProblems(err.details as FlowProblem[], doc);
        setNotice({ kind: 'error', key: 'editor.invalid', values: { count: err.details.length } });
        return;
      }
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    },
    [onUnauthorized, showProblems, t],
  );

  /** Saves a new draft version (or creates the flow); resolves to the flow id, or null when refused. */
  const save = useCallback(async (): Promise<string | null> => {
    const doc = currentDoc();
    setBusy(true);
    try {
      const res = flow
        ? await apiSend<{ id: string; version: number }>('PUT', `/api/flows/${encodeURIComponent(flow.id)}`, token, doc)
        : await apiSend<{ id: string; version: number }>('POST', '/api/flows', token, doc);
      showProblems([], doc);
      setSavedDoc(doc);
      setVersion(res.version);
      setNotice({ kind: 'success', key: 'editor.saved', values: { version: res.version } });
      if (!flow) {
        testData.move('new', res.id);
        onSaved(res.id);
      }
      return res.id;
    } catch (err) {
      failed(err, doc);
      return null;
    } finally {
      setBusy(false);
    }
  }, [base, name, nodes, edges, flow, token, showProblems, failed, onSaved, t]);

  const publish = useCallback(async () => {
    if (!flow) return;
    // Not `dirty` (deferred, may be a frame behind the click); defaults the form filled in need no new version.
    const unchanged = savedDoc !== null && !hasChanges(diffFlows(savedDoc, currentDoc(), diffOptions));
    const id = unchanged ? flow.id : await save();
    if (!id) return;
    setBusy(true);
    const doc = fromGraph(base, nodes, edges);
    try {
      const res = await apiSend<{ publishedVersion: number; webhooks: Array<{ nodeId: string; url: string }> }>(
        'POST',
        `/api/flows/${encodeURIComponent(id)}/publish`,
        token,
      );
      setPublishedVersion(res.publishedVersion);
      setWebhooks(res.webhooks);
      setNotice({ kind: 'success', key: 'editor.published', values: { version: res.publishedVersion } });
    } catch (err) {
      failed(err, doc);
    } finally {
      setBusy(false);
    }
  }, [save, flow, base, nodes, edges, token, failed, savedDoc, diffOptions, t]);

  /** Publish asks first, showing what changes against the live version (or that it is the first publish). */
  const openPublish = useCallback(() => {
    if (!flow) return;
    const doc = currentDoc();
    const willSave = savedDoc === null || hasChanges(diffFlows(savedDoc, doc, diffOptions));
    setPublishPlan({ name: doc.name, publishedVersion, version: willSave ? null : version, diff: null });
    const live = publishedVersion === null ? Promise.resolve(null) : loadVersion(token, flow.id, publishedVersion);
    live.then(
      (before) => setPublishPlan((p) => p && { ...p, diff: diffFlows(before, doc, diffOptions) }),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        setPublishPlan((p) => p && { ...p, error: err instanceof Error ? err.message : String(err) });
      },
    );
  }, [flow, base, name, nodes, edges, savedDoc, publishedVersion, version, token, diffOptions, onUnauthorized, t]);

  const openVersion = useCallback(
    (row: FlowVersionRow) => {
      if (!flow) return;
      // Nothing stays selected underneath: Delete must not remove a node the user cannot see.
      setNodes((ns) => ns.map((n) => (n.selected ? { ...n, selected: false } : n)));
      setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
      setNotice(null); // it would cover the preview's bar; it was about an earlier action anyway
      setViewing({ row, doc: null });
      loadVersion(token, flow.id, row.version).then(
        (doc) => setViewing((v) => (v?.row.version === row.version ? { row, doc } : v)),
        (err: unknown) => setViewing((v) => (v?.row.version === row.version ? { row, doc: null, error: err instanceof Error ? err.message : String(err) } : v)),
      );
    },
    [flow, token, setNodes, setEdges],
  );

  /** After a rollback the canvas shows the restored copy, saved; the replaced canvas stays one Undo away. */
  const restored = useCallback(
    (res: RestoreResult, doc: FlowDocument) => {
      record();
      const g = toGraph(doc, specs);
      const saved = fromGraph(doc, g.nodes, g.edges);
      setBase(doc);
      setNodes(g.nodes);
      setEdges(g.edges);
      setName(doc.name);
      setSavedDoc(saved);
      setVersion(res.version);
      setPublishedVersion(res.publishedVersion);
      if (res.publishedVersion === res.version) setWebhooks(res.webhooks);
      setProblems([]);
      setViewing(null);
      setRestoreOf(null);
      setNotice({ kind: 'success', key: res.publishedVersion === res.version ? 'versions.restoredLive' : 'versions.restored', values: { from: res.restoredFrom, version: res.version } });
      window.requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 200 }));
    },
    [record, specs, setNodes, setEdges, fitView],
  );

  const focusNode = (id: string) => {
    const n = nodes.find((x) => x.id === id);
    if (!n) return;
    setNodes((ns) => ns.map((x) => ({ ...x, selected: x.id === id })));
    void setCenter(n.position.x + 110, n.position.y + 30, { zoom: getViewport().zoom, duration: 200 });
  };

  const copyText = (text: string) => {
    const done = (ok: boolean) => setNotice(ok ? { kind: 'info', key: 'editor.copied' } : { kind: 'error', key: 'editor.copyFailed' });
    // The Clipboard API needs a secure context; a self-hosted editor on plain http gets the old way.
    if (navigator.clipboard && window.isSecureContext) return void navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    done(document.execCommand('copy'));
    area.remove();
  };

  const single = selected.length === 1 ? selected[0]! : null;
  // The panel reads the node's id and data only; the same object while just its position changes (a drag).
  const panelNode = useMemo(() => single, [single?.id, single?.data]);

  return (
    <div className="editor" data-testid="flow-editor">
      <div className="editor-toolbar">
        <a href="#/flows" className="btn ghost" data-testid="editor-back">
          ← {t('nav.flows')}
        </a>
        <input
          className="flow-name-input"
          value={name}
          placeholder={t('editor.namePlaceholder')}
          onChange={(e) => setName(e.target.value)}
          aria-label={t('editor.name')}
          data-testid="flow-name"
        />
        <span className="muted small flow-version" data-testid="flow-version">
          {flow ? t('editor.version', { version }) : t('editor.unsaved')}
          {publishedVersion != null ? ` · ${t('editor.publishedVersion', { version: publishedVersion })}` : ''}
        </span>
        {flow && dirty ? (
          <span
            className="pill unsaved"
            title={unsaved ? t('versions.unsavedTitle', { version, summary: diffSummary(unsaved) }) : undefined}
            data-testid="unsaved-marker"
          >
            {t('versions.unsaved')}
          </span>
        ) : null}
        {flow ? (
          <a href={`#/runs/flow/${encodeURIComponent(flow.id)}`} className="btn ghost small" data-testid="flow-runs-link">
            {t('run.recentRuns')}
          </a>
        ) : null}
        {flow ? (
          <button
            className={`btn ghost small${showVersions ? ' active' : ''}`}
            onClick={() => setShowVersions((v) => !v)}
            aria-pressed={showVersions}
            title={t('versions.historyHint')}
            data-testid="versions-toggle"
          >
            {t('versions.history')}
          </button>
        ) : null}
        <span className="spacer" />
        {canSave ? (
          <>
            <button className="btn" onClick={undo} disabled={!history.current.canUndo} title="Ctrl+Z" data-testid="undo">
              {t('editor.undo')}
            </button>
            <button className="btn" onClick={redo} disabled={!history.current.canRedo} title="Ctrl+Shift+Z" data-testid="redo">
              {t('editor.redo')}
            </button>
            <button className="btn" onClick={layout} disabled={nodes.length === 0} data-testid="auto-layout">
              {t('editor.autoLayout')}
            </button>
          </>
        ) : null}
        <button className="btn" onClick={() => void fitView({ padding: 0.2, duration: 200 })} data-testid="zoom-fit">
          {t('editor.fit')}
        </button>
        {canSave ? (
          <button className="btn" onClick={deleteSelection} disabled={!selected.length && !selectedEdges.length} data-testid="delete-selection">
            {t('editor.delete')}
          </button>
        ) : null}
        {canSave ? (
          <button className="btn" onClick={() => void save()} disabled={busy} data-testid="save-flow">
            {t('editor.save')}
          </button>
        ) : null}
        {canPublish ? (
          <button className="btn primary" onClick={openPublish} disabled={busy || !flow} title={flow ? undefined : t('editor.saveFirst')} data-testid="publish-flow">
            {t('editor.publish')}
          </button>
        ) : null}
        {!canSave ? (
          <span className="role-note small" data-testid="flow-read-only">
            {t('auth.readOnlyFlow')}
          </span>
        ) : null}
      </div>
      {notice ? (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="editor-notice">
          <span data-testid="editor-notice-text">{notice.key ? t(notice.key, notice.values ?? {}) : notice.text}</span>
          <button className="btn ghost small" onClick={() => setNotice(null)} aria-label={t('app.dismiss')}>
            ×
          </button>
        </div>
      ) : null}
      <div className="editor-body">
        {canSave ? <Palette specs={palette} onAdd={addAtCenter} /> : null}
        <div className="canvas" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            onNodeDragStart={record}
            onBeforeDelete={async () => {
              record();
              return true;
            }}
            isValidConnection={isValidConnection}
            deleteKeyCode={canSave ? deleteKeys : null}
            nodesDraggable={canSave}
            nodesConnectable={canSave}
            multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
            onlyRenderVisibleElements={nodes.length > 150}
            // Fit view shows a whole large flow (300 nodes need about 0.15); React Flow's default stops at 0.5.
            minZoom={0.1}
            // Only for a flow that opens with nodes: fitting when the first node is dropped would jump the view.
            fitView={initial.nodes.length > 0}
            fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
          >
            <Background gap={20} size={1} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable className="minimap" data-testid="minimap" />
          </ReactFlow>
          {single ? <StepTestDrawer flowKey={flow?.id ?? 'new'} nodeId={single.id} label={single.data.label} /> : null}
          {nodes.length === 0 ? <p className="canvas-empty muted">{t('editor.emptyCanvas')}</p> : null}
          {viewing ? (
            <VersionPreview row={viewing.row} document={viewing.doc} error={viewing.error} specs={specs} onRestore={setRestoreOf} onClose={() => setViewing(null)} />
          ) : null}
        </div>
        <div className="side">
          {panelNode ? (
            <Suspense fallback={<p className="config-panel muted small">{t('app.loading')}</p>}>
              <ConfigPanel
                node={panelNode}
                spec={specs.get(specKey(panelNode.data.type, panelNode.data.version))}
                flowKey={flow?.id ?? 'new'}
                connectors={connectors}
                token={token}
                onUnauthorized={onUnauthorized}
                onJumpToTest={canTest ? jumpToTest : undefined}
              />
            </Suspense>
          ) : null}
          {single && canTest ? (
            <StepTestSection token={token} flowId={flow?.id ?? null} node={single} specs={specs} getDocument={currentDoc} onProblems={(list) => showProblems(list, currentDoc())} onUnauthorized={onUnauthorized} />
          ) : null}
          {!single ? (
            <aside className="config-panel muted small" data-testid="config-empty">
              {selected.length > 1 ? t('config.multi', { count: selected.length }) : t(canSave ? 'config.none' : 'auth.selectToView')}
            </aside>
          ) : null}
          {problems.length ? (
            <section className="problems" data-testid="problem-list">
              <h3>{t('editor.problems', { count: problems.length })}</h3>
              <ul className="problem-list">
                {problems.map((p, i) => (
                  <li key={i} data-testid="problem-item">
                    <button className="link" onClick={() => p.nodeId && focusNode(p.nodeId)}>
                      <code>{p.path || '/'}</code>
                    </button>{' '}
                    {p.message}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {webhooks.length ? (
            <section className="webhooks" data-testid="webhook-list">
              <h3>{t('editor.webhooks')}</h3>
              <ul>
                {webhooks.map((w) => (
                  <li key={w.nodeId} data-testid={`webhook-${w.nodeId}`}>
                    <span className="small muted">{w.nodeId}</span>
                    <div className="copy-row">
                      <code data-testid={`webhook-url-${w.nodeId}`}>{w.url}</code>
                      <button className="btn small" onClick={() => copyText(w.url)} data-testid={`webhook-copy-${w.nodeId}`}>
                        {t('editor.copy')}
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        {showVersions && flow ? (
          <VersionsPanel
            token={token}
            flowId={flow.id}
            refreshKey={`${version}:${publishedVersion}`}
            diffOptions={diffOptions}
            onView={openVersion}
            onRestore={setRestoreOf}
            onClose={() => setShowVersions(false)}
            onUnauthorized={onUnauthorized}
          />
        ) : null}
      </div>
      {publishPlan ? (
        <PublishDialog
          plan={publishPlan}
          onCancel={() => setPublishPlan(null)}
          onConfirm={() => {
            setPublishPlan(null);
            void publish();
          }}
        />
      ) : null}
      {restoreOf !== null && flow ? (
        <RestoreDialog
          token={token}
          flowId={flow.id}
          version={restoreOf}
          dirty={dirty}
          isPublished={publishedVersion !== null}
          onDone={restored}
          onCancel={() => setRestoreOf(null)}
          onUnauthorized={onUnauthorized}
        />
      ) : null}
      {leaveGuard.pending ? (
        <LeaveDialog
          busy={busy}
          onStay={leaveGuard.stay}
          onDiscard={leaveGuard.leave}
          onSave={() => void save().then((id) => (id ? leaveGuard.leave() : leaveGuard.stay()))}
        />
      ) : null}
    </div>
  );
}
