import { useTranslation } from 'react-i18next';
import { FlowEditor } from './flow-editor.js';
import type { FlowDetail, FlowSummary } from './flow.types.js';
import { useApi } from './use-api.hook.js';
import { useCatalog } from './use-catalog.hook.js';
import { LoadStatus } from './load-status.js';
import { useCan } from './session.js';

interface Props {
  token: string;
  /** Route parameter: a flow id, `new`, or none for the list. */
  flowId?: string;
  onOpen: (id: string) => void;
  onUnauthorized: () => void;
}

const LAST_FLOW_KEY = 'tributary.lastFlow';
export const lastFlowId = (): string | null => localStorage.getItem(LAST_FLOW_KEY);

export function FlowsPage({ token, flowId, onOpen, onUnauthorized }: Props) {
  return flowId ? (
    <FlowEditorPage token={token} flowId={flowId} onOpen={onOpen} onUnauthorized={onUnauthorized} />
  ) : (
    <FlowList token={token} onOpen={onOpen} onUnauthorized={onUnauthorized} />
  );
}

function FlowList({ token, onOpen, onUnauthorized }: Omit<Props, 'flowId'>) {
  const { t, i18n } = useTranslation();
  const canWrite = useCan('flows:write');
  const [flows] = useApi<{ items: FlowSummary[] }>('/api/flows', token, onUnauthorized);
  return (
    <div className="list-page" data-testid="flow-list">
      <div className="page-header">
        <h1>{t('nav.flows')}</h1>
        <span className="spacer" />
        {canWrite ? (
          <button className="btn primary" onClick={() => onOpen('new')} data-testid="new-flow">
            {t('flows.new')}
          </button>
        ) : null}
      </div>
      <LoadStatus load={flows} empty={t('flows.empty')} />
      {flows.state === 'ok' && flows.value.items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('flows.name')}</th>
              <th>{t('flows.version')}</th>
              <th>{t('flows.status')}</th>
              <th>{t('flows.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {flows.value.items.map((f) => (
              <tr key={f.id} className="clickable" onClick={() => onOpen(f.id)} data-testid={`flow-row-${f.id}`}>
                <td>
                  <a href={`#/flows/${encodeURIComponent(f.id)}`}>{f.name}</a>
                  <div className="muted small">{f.id}</div>
                </td>
                <td>v{f.version}</td>
                <td>
                  {f.publishedVersion === null ? (
                    <span className="pill">{t('flows.draft')}</span>
                  ) : (
                    <span className="pill success">{t('flows.published', { version: f.publishedVersion })}</span>
                  )}
                </td>
                <td className="muted">{new Date(f.updatedAt).toLocaleString(i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function FlowEditorPage({ token, flowId, onOpen, onUnauthorized }: Props & { flowId: string }) {
  const { t } = useTranslation();
  const isNew = flowId === 'new';
  const catalog = useCatalog(token, onUnauthorized);
  const [flow] = useApi<FlowDetail>(isNew ? null : `/api/flows/${encodeURIComponent(flowId)}`, token, onUnauthorized);
  if (catalog.state === 'error') return <p className="error centered">{catalog.message}</p>;
  if (!isNew && flow.state === 'error') return <p className="error centered">{flow.message}</p>;
  if (catalog.state !== 'ok' || (!isNew && flow.state !== 'ok')) return <p className="muted centered">{t('app.loading')}</p>;
  const detail = !isNew && flow.state === 'ok' ? flow.value : null;
  if (detail) localStorage.setItem(LAST_FLOW_KEY, detail.id);
  return (
    <FlowEditor
      key={detail ? `${detail.id}` : 'new'}
      token={token}
      flow={detail}
      catalog={catalog.value.items}
      connectors={catalog.value.connectors}
      onSaved={onOpen}
      onUnauthorized={onUnauthorized}
    />
  );
}
