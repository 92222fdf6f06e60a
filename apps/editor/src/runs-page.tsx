import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from './use-live.hook.js';
import { LoadStatus } from './load-status.js';
import { Pager, useCursorPages } from './pager.js';
import { flowLabel, useFlowNames } from './flow-names.hook.js';
import { navigate } from './router.js';
import type { RunSummary } from '@tributary/runtime';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

const ACTIVE = ['queued', 'running', 'waiting'];
type RunPage = { items: RunSummary[]; nextCursor: string | null };

/**
 * Newest runs first (of one flow, from `#/runs/flow/<id>`), filtered by status, paged by the API's cursor.
 * The first page is live (Server-Sent Events, polling when the stream fails); a later page is polled while
 * any of its runs can still change.
 */
export function RunsPage({ token, flowId, onUnauthorized }: { token: string; flowId?: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState('');
  const pages = useCursorPages();
  const q = new URLSearchParams({ limit: '50' });
  if (flowId) q.set('flowId', flowId);
  if (status) q.set('status', status);
  const streamQ = new URLSearchParams(q);
  if (pages.cursor) q.set('cursor', pages.cursor);
  const paged = !pages.onFirstPage;
  const { load: runs, restart: reload } = useLive<RunPage>(
    `/api/runs?${q}`,
    paged ? null : `/api/runs/stream?${streamQ}`,
    token,
    onUnauthorized,
    paged ? (page) => !page.items.some((r) => ACTIVE.includes(r.status)) : undefined,
  );
  const shownFlows = runs.state === 'ok' ? runs.value.items.map((r) => r.flowId) : [];
  const flows = useFlowNames(token, flowId ? [flowId, ...shownFlows] : shownFlows);
  return (
    <div className="list-page" data-testid="runs-page">
      <div className="page-header">
        <h1>{t('nav.runs')}</h1>
        <span className="spacer" />
        <select
          value={flowId ?? ''}
          onChange={(e) => (e.target.value ? navigate('runs', 'flow', e.target.value) : navigate('runs'))}
          data-testid="runs-flow-filter"
        >
          <option value="">{t('runs.allFlows')}</option>
          {[...flows.values()]
            .sort((a, b) => a.name.localeCompare(b.name, i18n.language))
            .map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          {flowId && !flows.has(flowId) ? <option value={flowId}>{flowId}</option> : null}
        </select>
        <select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            pages.reset();
          }}
          data-testid="runs-status-filter"
        >
          <option value="">{t('runs.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <button className="btn" onClick={reload} data-testid="runs-refresh">
          {t('app.refresh')}
        </button>
      </div>
      <LoadStatus load={runs} empty={t('runs.empty')} />
      {runs.state === 'ok' && runs.value.items.length ? (
        <>
          <table className="table">
            <thead>
              <tr>
                <th>{t('runs.id')}</th>
                <th>{t('runs.flow')}</th>
                <th>{t('runs.status')}</th>
                <th>{t('runs.created')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.value.items.map((r) => (
                <tr key={r.id} data-testid={`run-row-${r.id}`}>
                  <td>
                    <a href={`#/runs/${encodeURIComponent(r.id)}`} data-testid={`run-link-${r.id}`}>
                      <code>{r.id}</code>
                    </a>
                  </td>
                  <td>
                    <a href={`#/flows/${encodeURIComponent(r.flowId)}`}>{flowLabel(flows, r.flowId)}</a> <span className="muted">v{r.flowVersion}</span>
                  </td>
                  <td>
                    <span className={`pill status-${r.status}`} data-testid="run-status">
                      {t(`status.${r.status}`, { defaultValue: r.status })}
                    </span>
                  </td>
                  <td className="muted">{new Date(r.createdAt).toLocaleString(i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pages={pages} nextCursor={runs.value.nextCursor} />
        </>
      ) : null}
    </div>
  );
}
