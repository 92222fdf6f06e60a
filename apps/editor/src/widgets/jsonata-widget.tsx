import { useEffect, useMemo, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetProps } from '@rjsf/utils';
import { useFlowTestData } from '../test-data.store.js';
import { checkSyntax, describeExpressionError, type ExpressionProblem } from './jsonata-error.util.js';
import { previewCall, previewInput, previewScope } from './jsonata-preview.util.js';
import { PREVIEW_TIMEOUT_MS, useJsonataPreview, type PreviewState } from './use-jsonata-preview.hook.js';
import type { ConfigFormContext } from './form-context.js';

/**
 * The editor of `format: "jsonata"` config fields: a code box with line numbers, the syntax
 * error (with its line and column) as you type, and a live preview of the result against the
 * node's input, evaluated by the engine's evaluator in a worker.
 */
export function JsonataWidget(props: WidgetProps<string, Record<string, unknown>, ConfigFormContext>) {
  const { id, value, schema, registry, rawErrors } = props;
  const ctx = registry.formContext;
  const source = typeof value === 'string' ? value : '';
  const problem = useMemo(() => checkSyntax(source), [source]);
  const help = typeof schema['x-help'] === 'string' ? schema['x-help'] : undefined;

  return (
    <div className={`jsonata-field${problem || rawErrors?.length ? ' has-problem' : ''}`}>
      <CodeBox {...props} badLine={problem?.line} describedBy={problem ? `${id}-syntax` : undefined} />
      {problem ? <ProblemBox id={`${id}-syntax`} testId={`jsonata-error-${id}`} problem={problem} source={source} kind="syntax" /> : null}
      {help ? <p className="muted small">{help}</p> : null}
      {ctx ? <Preview id={id} source={source} syntaxOk={!problem} schema={schema} ctx={ctx} /> : null}
    </div>
  );
}

/** Other `x-widget: "code"` fields (an HTML template): the same code box, without a check or preview. */
export function CodeWidget(props: WidgetProps<string, Record<string, unknown>, ConfigFormContext>) {
  return (
    <div className={`jsonata-field${props.rawErrors?.length ? ' has-problem' : ''}`}>
      <CodeBox {...props} />
    </div>
  );
}

/** A monospace textarea with line numbers (no soft wrap, so each number stays beside its line). */
function CodeBox(props: WidgetProps<string, Record<string, unknown>, ConfigFormContext> & { badLine?: number; describedBy?: string }) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, autofocus, schema, badLine, describedBy } = props;
  const source = typeof value === 'string' ? value : '';
  const lines = source.split('\n');
  const gutter = useRef<HTMLDivElement>(null);
  const placeholder = typeof schema['x-placeholder'] === 'string' ? schema['x-placeholder'] : props.placeholder;
  return (
    <div className="code-box">
      <div className="code-gutter" ref={gutter} aria-hidden="true">
        {lines.map((_, i) => (
          <div key={i} className={badLine === i + 1 ? 'bad' : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id={id}
        className="code-input"
        value={source}
        rows={Math.min(Math.max(lines.length, 3), 14)}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        placeholder={placeholder}
        disabled={disabled}
        readOnly={readonly}
        autoFocus={autofocus}
        aria-invalid={badLine !== undefined ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}

function ProblemBox({ id, testId, problem, source, kind }: { id: string; testId: string; problem: ExpressionProblem; source: string; kind: 'syntax' | 'runtime' }) {
  const { t } = useTranslation();
  const line = problem.line !== undefined ? source.split('\n')[problem.line - 1] : undefined;
  const width = problem.start !== undefined && problem.end !== undefined ? problem.end - problem.start : 1;
  return (
    <div className="expr-problem" id={id} role="alert" data-testid={testId}>
      <div>
        <strong>{kind === 'syntax' ? t('widgets.syntaxError') : t('widgets.runtimeError')}</strong>
        {problem.line !== undefined ? <span className="expr-where">{t('widgets.lineColumn', { line: problem.line, column: problem.column })}</span> : null}
      </div>
      <div className="expr-message">
        {problem.message}
        {problem.code && !problem.message.includes(problem.code) ? <code className="muted"> {problem.code}</code> : null}
      </div>
      {line !== undefined && problem.column !== undefined ? (
        <pre className="expr-snippet" aria-hidden="true">
          {line}
          {'\n'}
          <span className="caret">{' '.repeat(problem.column - 1) + '^'.repeat(Math.max(1, width))}</span>
        </pre>
      ) : null}
    </div>
  );
}

function Preview({ id, source, syntaxOk, schema, ctx }: { id: string; source: string; syntaxOk: boolean; schema: Record<string, unknown>; ctx: ConfigFormContext }) {
  const { t } = useTranslation();
  const scope = previewScope(schema);
  const data = useFlowTestData(ctx.flowKey);
  const input = useMemo(() => previewInput(data, ctx.nodeId, ctx.spec.sample), [data, ctx.nodeId, ctx.spec.sample]);
  const [index, setIndex] = useState(0);
  const count = input?.items.length ?? 0;
  useEffect(() => {
    if (index >= count) setIndex(0);
  }, [index, count]);
  const call = useMemo(() => (input ? previewCall(scope, input.items, Math.min(index, Math.max(0, count - 1))) : undefined), [scope, input, index, count]);
  const state = useJsonataPreview(source, call, syntaxOk);

  let body: ReactNode;
  if (scope === 'none') body = <p className="muted small">{t('widgets.previewNoScope')}</p>;
  else if (!input || !count) body = <p className="muted small">{t('widgets.previewNoInput')}</p>;
  else if (!source.trim()) body = <p className="muted small">{t('widgets.previewEmpty')}</p>;
  else if (!syntaxOk) body = <p className="muted small">{t('widgets.previewFixSyntax')}</p>;
  else body = <PreviewResult id={id} state={state} source={source} />;

  return (
    <div className="expr-preview" data-testid={`jsonata-preview-${id}`}>
      <div className="expr-preview-head">
        <span className="expr-preview-title">{t('widgets.preview')}</span>
        {input && scope !== 'none' ? <span className="pill expr-source">{t(`widgets.source_${input.source}`)}</span> : null}
        <span className="spacer" />
        {input && scope === 'item' && count > 1 ? (
          <span className="expr-stepper">
            <button type="button" className="btn ghost small" onClick={() => setIndex((i) => (i - 1 + count) % count)} aria-label={t('widgets.prevItem')} data-testid={`jsonata-prev-${id}`}>
              ‹
            </button>
            <span className="small muted">{t('widgets.itemOf', { n: Math.min(index, count - 1) + 1, count })}</span>
            <button type="button" className="btn ghost small" onClick={() => setIndex((i) => (i + 1) % count)} aria-label={t('widgets.nextItem')} data-testid={`jsonata-next-${id}`}>
              ›
            </button>
          </span>
        ) : null}
        {input && scope === 'items' ? <span className="small muted">{t('widgets.allItems', { count })}</span> : null}
      </div>
      {body}
    </div>
  );
}

function PreviewResult({ id, state, source }: { id: string; state: PreviewState; source: string }) {
  const { t } = useTranslation();
  const shown = state.status === 'running' ? state.last : state;
  const stale = state.status === 'running';
  if (!shown || shown.status === 'idle' || shown.status === 'running') return <p className="muted small">{t('widgets.evaluating')}</p>;
  if (shown.status === 'timeout') {
    return (
      <p className="error small" data-testid={`jsonata-result-${id}`} data-status="timeout">
        {t('widgets.previewTimeout', { seconds: PREVIEW_TIMEOUT_MS / 1000 })}
      </p>
    );
  }
  if (shown.status === 'error') {
    return (
      <div className={stale ? 'stale' : undefined} data-testid={`jsonata-result-${id}`} data-status="error">
        <ProblemBox id={`${id}-runtime`} testId={`jsonata-runtime-${id}`} problem={describeExpressionError({ message: shown.error.message, position: shown.error.position }, source)} source={source} kind="runtime" />
      </div>
    );
  }
  return (
    <pre className={`expr-result${stale ? ' stale' : ''}`} data-testid={`jsonata-result-${id}`} data-status="ok">
      {shown.value === undefined ? <span className="muted">{t('widgets.noResult')}</span> : JSON.stringify(shown.value, null, 2)}
    </pre>
  );
}
