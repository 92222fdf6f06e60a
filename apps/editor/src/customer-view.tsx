import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from './api.client.js';
import { navigate } from './router.js';
import { flowLabel, useFlowNames } from './flow-names.hook.js';
import { useApi } from './use-api.hook.js';
import { useCan } from './session.js';
import type { CustomerView as CustomerViewData } from '@tributary/customer-store';

/** GET /api/customers/:id: the store's CustomerView (the component below has that name). */
export type CustomerDetail = CustomerViewData;
interface AppliedRule {
  rule: string;
  points: number;
  reason: string;
  title?: string;
}

/** An attribute value for display: strings as they are, anything else as JSON. */
export const showValue = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The 360° view of one customer: header, identities, attributes with their provenance, timeline, merges. */
export function CustomerView({ id, token, onUnauthorized }: { id: string; token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const canWrite = useCan('customers:write');
  const [customer, reload] = useApi<CustomerDetail>(`/api/customers/${encodeURIComponent(id)}`, token, onUnauthorized);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const [edit, setEdit] = useState({ field: '', value: '' });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const flows = useFlowNames(token, customer.state === 'ok' ? Object.values(customer.value.attributes).map((a) => a.flowId).filter(Boolean) : []);

  const undo = async (mergeId: string) => {
    if (!window.confirm(t('customer.undoConfirm'))) return;
    setBusy(true);
    try {
      await apiSend('POST', `/api/merges/${encodeURIComponent(mergeId)}/undo`, token);
      setNotice({ kind: 'ok', text: t('customer.undone') });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const saveEdit = async (e: FormEvent) => {
    e.preventDefault();
    const field = edit.field.trim();
    if (!field) return;
    setBusy(true);
    try {
      await apiSend('PATCH', `/api/customers/${encodeURIComponent(id)}`, token, { attributes: { [field]: edit.value } });
      setNotice({ kind: 'ok', text: t('customer.edited', { field }) });
      setEdit({ field: '', value: '' });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  if (customer.state === 'loading') return <p className="muted list-page">{t('app.loading')}</p>;
  if (customer.state === 'error') return <p className="error list-page" data-testid="customer-error">{customer.message}</p>;
  const c = customer.value;
  const attributes = Object.entries(c.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="list-page customer-view" data-testid="customer-view">
      <div className="page-header">
        <a className="btn ghost" href="#/customers" data-testid="customer-back">
          ← {t('nav.customers')}
        </a>
      </div>
      {c.mergedInto ? (
        <p className="notice" data-testid="customer-merged-into">
          {t('customer.mergedInto')}{' '}
          <a href={`#/customers/${encodeURIComponent(c.mergedInto)}`} onClick={(e) => (e.preventDefault(), navigate('customers', c.mergedInto!))}>
            {c.mergedInto}
          </a>
        </p>
      ) : null}
      {c.erasedAt ? <p className="notice error">{t('customer.erased', { when: when(c.erasedAt) })}</p> : null}
      {notice ? (
        <p className={notice.kind === 'error' ? 'notice error' : 'notice success'} data-testid="customer-notice">
          {notice.text}
        </p>
      ) : null}
      <section className="card customer-header" data-testid="customer-header">
        <h1 data-testid="customer-name">{c.displayName ?? <span className="muted">{t('customers.noName')}</span>}</h1>
        <div className="muted small">{c.id}</div>
        <dl className="facts">
          <div>
            <dt>{t('customers.stage')}</dt>
            <dd>
              <span className="pill" data-testid="customer-stage">
                {c.stage}
              </span>
            </dd>
          </div>
          <div>
            <dt>{t('customers.score')}</dt>
            <dd data-testid="customer-score">{c.score}</dd>
          </div>
          <div>
            <dt>{t('customer.priority')}</dt>
            <dd data-testid="customer-priority">{c.priority ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('customer.owner')}</dt>
            <dd data-testid="customer-owner">{c.owner ? (c.owner.name ?? c.owner.id) : <span className="muted">{t('customer.noOwner')}</span>}</dd>
          </div>
          <div>
            <dt>{t('customer.firstChannel')}</dt>
            <dd>{c.firstChannel ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('customer.lastInteraction')}</dt>
            <dd>{when(c.lastInteractionAt)}</dd>
          </div>
          {c.account ? (
            <div>
              <dt>{t('customer.account')}</dt>
              <dd data-testid="customer-account">
                {c.account.name}
                {c.account.creditCode ? (
                  <div className="muted small mono" title={t('customer.creditCode')} data-testid="customer-account-code">
                    {c.account.creditCode}
                  </div>
                ) : null}
                {c.account.industry ? <div className="muted small">{c.account.industry}</div> : null}
              </dd>
            </div>
          ) : null}
        </dl>
        <div className="tags" data-testid="customer-tags">
          {c.tags.map((tag) => (
            <span key={tag} className="pill">
              {tag}
            </span>
          ))}
        </div>
      </section>

      <h2>{t('customers.identities')}</h2>
      <table className="table" data-testid="customer-identities">
        <thead>
          <tr>
            <th>{t('customer.type')}</th>
            <th>{t('customer.value')}</th>
            <th>{t('customer.source')}</th>
            <th>{t('customer.firstSeen')}</th>
            <th>{t('customer.lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          {c.identities.map((i) => (
            <tr key={`${i.type}:${i.value}`} data-testid={`identity-${i.type}-${i.value}`}>
              <td>{i.type}</td>
              <td className="mono">{i.value}</td>
              <td>{i.source}</td>
              <td className="muted">{when(i.firstSeen)}</td>
              <td className="muted">{when(i.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('customer.attributes')}</h2>
      {attributes.length === 0 ? <p className="empty muted">{t('customer.noAttributes')}</p> : null}
      {attributes.length ? (
        <table className="table" data-testid="customer-attributes">
          <thead>
            <tr>
              <th>{t('customer.field')}</th>
              <th>{t('customer.value')}</th>
              <th>{t('customer.source')}</th>
              <th>{t('customer.flow')}</th>
              <th>{t('customer.run')}</th>
              <th>{t('customer.when')}</th>
            </tr>
          </thead>
          <tbody>
            {attributes.map(([key, a]) => (
              <tr key={key} data-testid={`attribute-${key}`}>
                <td className="mono">{key}</td>
                <td data-testid={`attribute-value-${key}`}>{showValue(a.value)}</td>
                <td data-testid={`attribute-source-${key}`}>{a.source}</td>
                <td>{a.flowId ? <a href={`#/flows/${encodeURIComponent(a.flowId)}`}>{flowLabel(flows, a.flowId, a.flowVersion)}</a> : '—'}</td>
                <td className="mono small">
                  {a.runId ? (
                    <a href={`#/runs/${encodeURIComponent(a.runId)}`} data-testid={`attribute-run-${key}`}>
                      {a.runId.slice(0, 8)}
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="muted">{when(a.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {canWrite && !c.mergedInto && !c.erasedAt ? (
        <form className="attribute-edit" onSubmit={(e) => void saveEdit(e)} data-testid="attribute-edit">
          <input
            list="attribute-fields"
            placeholder={t('customer.field')}
            value={edit.field}
            onChange={(e) => {
              const field = e.target.value;
              setEdit({ field, value: edit.value || showValue(c.attributes[field]?.value) });
            }}
            data-testid="attribute-edit-field"
          />
          <datalist id="attribute-fields">
            {attributes.map(([key]) => (
              <option key={key} value={key} />
            ))}
          </datalist>
          <input placeholder={t('customer.value')} value={edit.value} onChange={(e) => setEdit({ ...edit, value: e.target.value })} data-testid="attribute-edit-value" />
          <button className="btn" type="submit" disabled={busy || !edit.field.trim()} data-testid="attribute-edit-save">
            {t('customer.editSave')}
          </button>
          <span className="muted small">{t('customer.editHint')}</span>
        </form>
      ) : null}

      <h2>{t('customer.merges')}</h2>
      {c.merges.length === 0 ? <p className="empty muted">{t('customer.noMerges')}</p> : null}
      {c.merges.length ? (
        <table className="table" data-testid="customer-merges">
          <thead>
            <tr>
              <th>{t('customer.when')}</th>
              <th>{t('customer.mergedCustomers')}</th>
              <th>{t('customer.actor')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {c.merges.map((m) => (
              <tr key={m.id} data-testid={`merge-${m.id}`}>
                <td className="muted">{when(m.createdAt)}</td>
                <td className="mono small">{[m.targetId, ...m.sourceIds].filter((x) => x !== c.id).join(', ')}</td>
                <td>{m.actor ?? '—'}</td>
                <td>
                  {m.undoneAt ? (
                    <span className="muted">{t('customer.undoneAt', { when: when(m.undoneAt) })}</span>
                  ) : m.targetId === c.id && canWrite ? (
                    <button className="btn small" disabled={busy} onClick={() => void undo(m.id)} data-testid={`merge-undo-${m.id}`}>
                      {t('customer.undo')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>{t('customer.timeline')}</h2>
      {c.timeline.length === 0 ? <p className="empty muted">{t('customer.noEvents')}</p> : null}
      <ol className="timeline" data-testid="customer-timeline">
        {[...c.timeline]
          .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
          .map((e) => (
            <li key={e.id} className="card timeline-event" data-testid={`timeline-event-${e.type}`}>
              <div className="timeline-head">
                <span className="pill">{e.type}</span>
                <span className="muted small">{e.source}</span>
                {e.runId ? (
                  <a className="small mono" href={`#/runs/${encodeURIComponent(e.runId)}`}>
                    {e.runId.slice(0, 8)}
                  </a>
                ) : null}
                <span className="spacer" />
                <span className="muted small">{when(e.occurredAt)}</span>
              </div>
              {e.type === 'score_changed' && e.payload ? <ScoreExplanation payload={e.payload} /> : null}
            </li>
          ))}
      </ol>
    </div>
  );
}

/** A score_changed event's explanation: before → after, and each rule with its points and reason. */
function ScoreExplanation({ payload }: { payload: Record<string, unknown> }) {
  const { t } = useTranslation();
  const rules = Array.isArray(payload.rules) ? (payload.rules as AppliedRule[]) : [];
  return (
    <div className="score-explanation" data-testid="score-explanation">
      <div className="small">
        {t('customer.scoreChange', { before: String(payload.before ?? '?'), after: String(payload.after ?? '?') })}
      </div>
      {rules.length ? (
        <ul className="score-rules">
          {rules.map((r, i) => (
            <li key={`${r.rule}-${i}`} data-testid={`score-rule-${r.rule}`}>
              <span className={r.points >= 0 ? 'points plus' : 'points minus'}>{r.points >= 0 ? `+${r.points}` : r.points}</span>{' '}
              <span className="mono small">{r.title ?? r.rule}</span> <span className="muted small">{r.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
