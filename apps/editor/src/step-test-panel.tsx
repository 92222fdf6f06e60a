import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEdges, useNodes, useReactFlow } from '@xyflow/react';
import { ApiError, apiSend } from './api.client.js';
import { specKey, type NodeSpec } from './catalog.types.js';
import type { FlowCanvasNode } from './flow-graph.util.js';
import type { FlowDocument, FlowProblem } from './flow.types.js';
import { ItemsView } from './items-view.js';
import { nodesWithEffects, parseItems, sampleInput, startTrigger, untilScope, upstreamOutput } from './step-test.util.js';
import { testData, useFlowTestData, type NodeTestResult, type TestItem } from './test-data.store.js';

// "Test a step": the Test section of the settings panel (items, Test this step, Run up to
// here, Pin), the result drawer over the canvas (input and output side by side), and the
// tested status on the canvas nodes. Results and pinned items live in test-data.store.ts.

/** The flow key (`<flow id>` or `new`) of the editor around a canvas; null on a run's read-only canvas. */
export const StepTestScope = createContext<string | null>(null);

/** The last test result of a canvas node, for its badge; undefined outside the editor. */
export function useTestedStatus(nodeId: string): NodeTestResult | undefined {
  const flowKey = useContext(StepTestScope);
  const data = useFlowTestData(flowKey ?? '');
  return flowKey === null ? undefined : data.results[nodeId];
}

/** The step test answer of the API (POST /api/flows/:id/test), the parts the editor reads. */
interface TestResponse {
  status: 'succeeded' | 'failed';
  error?: { code: string; message: string; nodeId?: string };
  startNodeId: string;
  durationMs: number;
  finishedAt: string;
  steps: Array<{
    nodeId: string;
    status: NodeTestResult['status'];
    input: TestItem[];
    output: Record<string, TestItem[]> | null;
    error: NodeTestResult['error'];
    resumeAt?: string;
    itemCounts: { input: number; output: Record<string, number> };
  }>;
}

type Source = 'pinned' | 'upstream' | 'lastInput' | 'sample' | 'edited' | 'empty';

interface SectionProps {
  token: string;
  /** The saved flow's id; null for a flow not saved yet. */
  flowId: string | null;
  node: FlowCanvasNode;
  specs: Map<string, NodeSpec>;
  /** The document as the editor holds it now (the unsaved draft is what gets tested). */
  getDocument: () => FlowDocument;
  onProblems: (problems: FlowProblem[]) => void;
  onUnauthorized: () => void;
}

/** The Test section of the selected node; remounted per node so its items start fresh. */
export function StepTestSection(props: SectionProps) {
  return <TestSection key={props.node.id} {...props} />;
}

function TestSection({ token, flowId, node, specs, getDocument, onProblems, onUnauthorized }: SectionProps) {
  const { t } = useTranslation();
  const flowKey = flowId ?? 'new';
  const data = useFlowTestData(flowKey);
  const nodes = useNodes<FlowCanvasNode>();
  const edges = useEdges();
  const spec = specs.get(specKey(node.data.type, node.data.version));
  const pinned = data.pinned[node.id];
  const upstream = useMemo(() => upstreamOutput(node.id, edges, data), [node.id, edges, data]);
  const sample = sampleInput(spec);

  const initial = (): { source: Source; items: TestItem[] } => {
    if (pinned) return { source: 'pinned', items: pinned };
    if (upstream) return { source: 'upstream', items: upstream };
    const last = data.results[node.id]?.input;
    if (last) return { source: 'lastInput', items: last };
    if (sample) return { source: 'sample', items: sample };
    return { source: 'empty', items: [{}] };
  };
  const [{ source, text }, setInput] = useState(() => {
    const i = initial();
    return { source: i.source, text: JSON.stringify(i.items, null, 2) };
  });
  const parsed = useMemo(() => parseItems(text), [text]);
  const [busy, setBusy] = useState<'node' | 'until' | null>(null);
  const [failure, setFailure] = useState<{ message: string; problems?: FlowProblem[] } | null>(null);
  const [summary, setSummary] = useState<TestResponse | null>(null);
  const reported = useRef(false);

  const use = (s: Source, items: TestItem[]) => setInput({ source: s, text: JSON.stringify(items, null, 2) });
  const trigger = useMemo(() => startTrigger(node.id, nodes, edges, specs), [node.id, nodes, edges, specs]);
  const effectsAlone = nodesWithEffects([node.id], nodes, specs).length > 0;
  const effectsUntil = useMemo(() => (trigger ? nodesWithEffects(untilScope(trigger.id, node.id, edges), nodes, specs) : []), [trigger, node.id, nodes, edges, specs]);
  const triggerPinned = trigger ? data.pinned[trigger.id] : undefined;
  const label = (id: string) => nodes.find((n) => n.id === id)?.data.label ?? id;
  const { setNodes } = useReactFlow<FlowCanvasNode>();
  const select = (id: string) => setNodes((ns) => ns.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id })));

  const pin = () => {
    if (!parsed.ok) return;
    testData.pin(flowKey, node.id, parsed.items);
    setInput((s) => ({ ...s, source: 'pinned' }));
  };

  const unpin = () => {
    testData.unpin(flowKey, node.id);
    // The items stay in the box, no longer pinned.
    setInput((s) => ({ ...s, source: s.source === 'pinned' ? 'edited' : s.source }));
  };

  const run = async (mode: 'node' | 'until') => {
    if (mode === 'node' && !parsed.ok) return;
    setBusy(mode);
    setFailure(null);
    const body: Record<string, unknown> = { nodeId: node.id, mode, document: getDocument() };
    if (mode === 'node' && parsed.ok) body.items = parsed.items;
    if (mode === 'until' && trigger) {
      body.triggerNodeId = trigger.id;
      if (triggerPinned) body.items = triggerPinned;
    }
    try {
      const path = flowId ? `/api/flows/${encodeURIComponent(flowId)}/test` : '/api/flows/test';
      const res = await apiSend<TestResponse>('POST', path, token, body);
      testData.saveResults(
        flowKey,
        res.steps.map((s) => ({
          nodeId: s.nodeId,
          status: s.status,
          input: s.input,
          output: s.output,
          error: s.error ?? null,
          at: res.finishedAt,
          itemCounts: s.itemCounts,
          ...(s.resumeAt ? { resumeAt: s.resumeAt } : {}),
        })),
      );
      // Nodes of this run that a failure stopped short of: their older results no longer follow from these items.
      if (mode === 'until') {
        const ran = new Set(res.steps.map((s) => s.nodeId));
        testData.forget(flowKey, [...untilScope(res.startNodeId, node.id, edges)].filter((id) => !ran.has(id)));
      }
      setSummary(res);
      // Clears only problems a test reported; those of a save stay until the next save.
      if (reported.current) onProblems([]);
      reported.current = false;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      if (err instanceof ApiError && err.code === 'flow_invalid' && Array.isArray(err.details)) {
        onProblems(err.details as FlowProblem[]);
        reported.current = true;
        setFailure({ message: t('stepTest.invalid'), problems: err.details as FlowProblem[] });
      } else {
        setFailure({ message: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="step-test" aria-label={t('stepTest.title')} data-testid="step-test">
      <h3>{t('stepTest.title')}</h3>
      {effectsAlone ? (
        <p className="step-test-warning small" data-testid="step-test-effects">
          {t('stepTest.effects')}
        </p>
      ) : null}
      <div className="step-test-head">
        <span className="small">{t('stepTest.inputItems')}</span>
        <span className={`pill step-test-source source-${source}`} data-testid="step-test-source" data-source={source}>
          {t(`stepTest.source.${source}`)}
        </span>
      </div>
      <div className="step-test-sources" role="group" aria-label={t('stepTest.fillFrom')}>
        <button className="btn ghost small" disabled={!upstream} onClick={() => upstream && use('upstream', upstream)} title={upstream ? undefined : t('stepTest.noUpstream')} data-testid="step-test-use-upstream">
          {t('stepTest.useUpstream')}
        </button>
        <button className="btn ghost small" disabled={!sample} onClick={() => sample && use('sample', sample)} data-testid="step-test-use-sample">
          {t('stepTest.useSample')}
        </button>
        {pinned ? (
          <button className="btn ghost small" onClick={() => use('pinned', pinned)} data-testid="step-test-use-pinned">
            {t('stepTest.usePinned')}
          </button>
        ) : null}
        <span className="spacer" />
        {pinned ? (
          <button className="btn ghost small" onClick={unpin} data-testid="step-test-unpin">
            {t('stepTest.unpin')}
          </button>
        ) : null}
        <button className="btn small" disabled={!parsed.ok} onClick={pin} title={t('stepTest.pinHint')} data-testid="step-test-pin">
          {pinned ? t('stepTest.repin') : t('stepTest.pin')}
        </button>
      </div>
      <textarea
        className={`step-test-items${parsed.ok ? '' : ' invalid'}`}
        value={text}
        spellCheck={false}
        rows={Math.min(12, Math.max(4, text.split('\n').length))}
        onChange={(e) => setInput({ source: 'edited', text: e.target.value })}
        aria-invalid={!parsed.ok}
        aria-label={t('stepTest.inputItems')}
        data-testid="step-test-items"
      />
      {!parsed.ok ? (
        <p className="error small" role="alert" data-testid="step-test-parse-error">
          {t('stepTest.parseError', { message: parsed.error })}
        </p>
      ) : null}
      <div className="step-test-actions">
        <button className="btn primary" disabled={busy !== null || !parsed.ok} onClick={() => void run('node')} data-testid="step-test-node">
          {busy === 'node' ? t('stepTest.testing') : t('stepTest.testNode')}
        </button>
        <button className="btn" disabled={busy !== null || !trigger} onClick={() => void run('until')} title={trigger ? undefined : t('stepTest.noTrigger')} data-testid="step-test-until">
          {busy === 'until' ? t('stepTest.testing') : t('stepTest.runUntil')}
        </button>
      </div>
      <p className="muted small step-test-hint" data-testid="step-test-until-hint">
        {trigger
          ? t(triggerPinned ? 'stepTest.untilPinned' : 'stepTest.untilSample', { trigger: label(trigger.id) })
          : t('stepTest.noTrigger')}
        {trigger && effectsUntil.length ? ` ${t('stepTest.effectsUntil', { nodes: effectsUntil.map((n) => label(n.id)).join(', ') })}` : ''}
      </p>
      {failure ? (
        <div className="notice-inline error" role="alert" data-testid="step-test-failure">
          <p>{failure.message}</p>
          {failure.problems ? (
            <ul className="problem-list compact">
              {failure.problems.map((p, i) => (
                <li key={i}>
                  {p.nodeId ? <code>{p.nodeId}</code> : null} {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {summary ? (
        <p className={`small step-test-summary status-${summary.status}`} data-testid="step-test-summary" data-status={summary.status}>
          {t(summary.status === 'succeeded' ? 'stepTest.summaryOk' : 'stepTest.summaryFailed', {
            count: summary.steps.length,
            ms: summary.durationMs,
            node: summary.error?.nodeId ? label(summary.error.nodeId) : '',
          })}
          {summary.error?.nodeId && summary.error.nodeId !== node.id ? (
            <>
              {' '}
              <button className="link" onClick={() => select(summary.error!.nodeId!)} data-testid="step-test-show-failed">
                {t('stepTest.showFailed')}
              </button>
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

/**
 * The selected node's last test over the bottom of the canvas: input and output side by side,
 * an output per port, the error. Collapses to a bar; a new test opens it again.
 */
export function StepTestDrawer(props: { flowKey: string; nodeId: string; label: string }) {
  // Per node: the port and the table/JSON choice start fresh on another node.
  return <Drawer key={props.nodeId} {...props} />;
}

function Drawer({ flowKey, nodeId, label }: { flowKey: string; nodeId: string; label: string }) {
  const { t, i18n } = useTranslation();
  const result = useFlowTestData(flowKey).results[nodeId];
  const [open, setOpen] = useState(true);
  const [port, setPort] = useState<string | null>(null);
  useEffect(() => setOpen(true), [result?.at]);
  const { getInternalNode, getZoom, setCenter } = useReactFlow();
  // The drawer takes the bottom of the canvas: bring the node back into view when it is hidden.
  useEffect(() => {
    if (!open || !result) return;
    const frame = requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`);
      const pane = el?.closest('.react-flow')?.getBoundingClientRect();
      const box = el?.getBoundingClientRect();
      if (!pane || !box || (box.top >= pane.top && box.bottom <= pane.bottom && box.left >= pane.left && box.right <= pane.right)) return;
      const node = getInternalNode(nodeId);
      if (!node) return;
      const { x, y } = node.internals.positionAbsolute;
      void setCenter(x + (node.measured.width ?? 0) / 2, y + (node.measured.height ?? 0) / 2, { zoom: getZoom(), duration: 200 });
    });
    return () => cancelAnimationFrame(frame);
  }, [open, result?.at, nodeId]);
  if (!result) return null;
  const ports = Object.keys(result.output ?? {});
  const shown = port && ports.includes(port) ? port : (ports.find((p) => (result.output?.[p]?.length ?? 0) > 0) ?? ports[0]);
  const time = new Date(result.at).toLocaleTimeString(i18n.language);
  return (
    <section className={`step-test-drawer${open ? '' : ' collapsed'}`} aria-label={t('stepTest.result')} data-testid="step-test-result" data-status={result.status}>
      <header className="step-test-drawer-head">
        <button className="btn ghost small" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="step-test-result-toggle">
          {open ? '▾' : '▸'} {t('stepTest.result')}
        </button>
        <strong>{label}</strong>
        <span className={`pill status-${result.status}`} data-testid="step-test-result-status">
          {t(`status.${result.status}`, { defaultValue: result.status })}
        </span>
        <span className="muted small">{t('stepTest.testedAt', { time })}</span>
      </header>
      {open ? (
        <div className="step-test-drawer-body">
          <div className="step-test-col">
            <h4>{t('stepTest.input')}</h4>
            <ItemsView items={result.input} total={result.itemCounts?.input} testId="step-test-input" />
          </div>
          <div className="step-test-col">
            <div className="step-test-ports">
              <h4>{t('stepTest.output')}</h4>
              {ports.length > 1
                ? ports.map((p) => (
                    <button key={p} className={`btn ghost small${p === shown ? ' active' : ''}`} aria-pressed={p === shown} onClick={() => setPort(p)} data-testid={`step-test-port-${p}`}>
                      {p} <span className="muted">{result.output?.[p]?.length ?? 0}</span>
                    </button>
                  ))
                : null}
            </div>
            {result.error ? (
              <div className="step-test-error" role="alert" data-testid="step-test-error">
                <strong>{result.error.code}</strong>
                <p>{result.error.message}</p>
                {result.error.details !== undefined ? <pre className="json error">{JSON.stringify(result.error.details, null, 2)}</pre> : null}
              </div>
            ) : null}
            {result.status === 'skipped' ? <p className="muted small">{t('stepTest.skipped')}</p> : null}
            {result.resumeAt ? (
              <p className="muted small" data-testid="step-test-resume-at">
                {t('stepTest.resumeAt', { time: new Date(result.resumeAt).toLocaleString(i18n.language) })}
              </p>
            ) : null}
            {shown !== undefined ? (
              <ItemsView key={shown} items={result.output?.[shown] ?? []} total={result.itemCounts?.output[shown]} testId={`step-test-output-${shown}`} />
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** The corner badge of a tested node on the editor's canvas: ✓ and the items it put out, or ! when it failed. */
export function TestedBadge({ nodeId }: { nodeId: string }) {
  const { t } = useTranslation();
  const result = useTestedStatus(nodeId);
  if (!result) return null;
  const counts = result.itemCounts?.output ?? Object.fromEntries(Object.entries(result.output ?? {}).map(([p, items]) => [p, items.length]));
  const out = Object.values(counts).reduce((a, b) => a + b, 0);
  const status = t(`status.${result.status}`, { defaultValue: result.status });
  return (
    <span className={`test-badge status-${result.status}`} title={t('stepTest.badge', { status, count: out })} data-testid={`flow-node-test-${nodeId}`} data-status={result.status}>
      {result.status === 'succeeded' ? `✓ ${out}` : result.status === 'failed' ? '!' : '–'}
    </span>
  );
}
