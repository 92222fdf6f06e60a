import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from './api.client.js';
import { showValue, type CustomerDetail } from './customer-view.js';
import { useApi } from './use-api.hook.js';
import { useCan } from './session.js';
import type { ReviewItem, ReviewPage } from '@tributary/customer-store';

/** Attributes compared side by side (the first ones present on either customer, these first). */
const MAIN_ATTRIBUTES = ['name', 'company', 'city', 'title', 'industry', 'channel', 'source'];

/** The review queue: uncertain matches, the two customers side by side, and Merge / Keep separate. */
export function ReviewPage({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const { t } = useTranslation();
  const canDecide = useCan('customers:write');
  const [page, reload] = useApi<ReviewPage>('/api/review?status=pending&limit=50', token, onUnauthorized);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string; customerId?: string }>();
  const [busy, setBusy] = useState<string>();

  const decide = async (item: ReviewItem, decision: 'merge' | 'separate') => {
    setBusy(item.id);
    try {
      const res = await apiSend<{ merge?: { targetId: string } }>('POST', `/api/review/${encodeURIComponent(item.id)}`, token, { decision });
      setNotice({ kind: 'ok', text: t(decision === 'merge' ? 'review.merged' : 'review.separated'), customerId: res.merge?.targetId });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="list-page" data-testid="review-page">
      <div className="page-header">
        <h1>{t('nav.review')}</h1>
      </div>
      {notice ? (
        <p className={notice.kind === 'error' ? 'notice error' : 'notice success'} data-testid="review-notice">
          {notice.text}{' '}
          {notice.customerId ? (
            <a href={`#/customers/${encodeURIComponent(notice.customerId)}`} data-testid="review-open-merged">
              {t('review.openMerged')}
            </a>
          ) : null}
        </p>
      ) : null}
      {page.state === 'loading' ? <p className="muted">{t('app.loading')}</p> : null}
      {page.state === 'error' ? <p className="error">{page.message}</p> : null}
      {page.state === 'ok' && page.value.items.length === 0 ? (
        <p className="empty muted" data-testid="review-empty">
          {t('review.empty')}
        </p>
      ) : null}
      {page.state === 'ok'
        ? page.value.items.map((item) => (
            <section key={item.id} className="card review-item" data-testid={`review-item-${item.id}`}>
              <div className="review-head">
                <span className="pill" data-testid="review-score">
                  {t('review.score', { score: item.score })}
                </span>
                <ul className="review-reasons" data-testid="review-reasons">
                  {item.reasons.map((r, i) => (
                    <li key={i} className="small">
                      <span className="mono">{r.rule}</span> <span className="muted">{r.detail}</span>
                    </li>
                  ))}
                </ul>
                <span className="spacer" />
                {canDecide ? (
                  <>
                    <button className="btn primary" disabled={busy !== undefined} onClick={() => void decide(item, 'merge')} data-testid={`review-merge-${item.id}`}>
                      {t('review.merge')}
                    </button>
                    <button className="btn" disabled={busy !== undefined} onClick={() => void decide(item, 'separate')} data-testid={`review-separate-${item.id}`}>
                      {t('review.separate')}
                    </button>
                  </>
                ) : null}
              </div>
              <ReviewPair item={item} token={token} onUnauthorized={onUnauthorized} />
            </section>
          ))
        : null}
    </div>
  );
}

/** The two customers side by side; values that differ are highlighted. */
function ReviewPair({ item, token, onUnauthorized }: { item: ReviewItem; token: string; onUnauthorized: () => void }) {
  const { t } = useTranslation();
  const [left] = useApi<CustomerDetail>(`/api/customers/${encodeURIComponent(item.customerId)}`, token, onUnauthorized);
  const [right] = useApi<CustomerDetail>(`/api/customers/${encodeURIComponent(item.candidateId)}`, token, onUnauthorized);
  const sides = [
    { key: 'customer', id: item.customerId, summary: item.customer, detail: left.state === 'ok' ? left.value : null },
    { key: 'candidate', id: item.candidateId, summary: item.candidate, detail: right.state === 'ok' ? right.value : null },
  ] as const;
  const attrKeys = [
    ...new Set([
      ...MAIN_ATTRIBUTES.filter((k) => sides.some((s) => s.detail?.attributes[k] !== undefined)),
      ...sides.flatMap((s) => Object.keys(s.detail?.attributes ?? {})).sort(),
    ]),
  ].slice(0, 12);
  const identityTypes = [...new Set(sides.flatMap((s) => (s.summary?.identities ?? []).map((i) => i.type)))].sort();
  const idValues = (s: (typeof sides)[number], type: string) =>
    (s.summary?.identities ?? [])
      .filter((i) => i.type === type)
      .map((i) => i.value)
      .sort()
      .join(', ');
  const attrValue = (s: (typeof sides)[number], k: string) => showValue(s.detail?.attributes[k]?.value);
  const differs = (values: string[]) => values[0] !== values[1];

  return (
    <table className="table review-pair" data-testid="review-pair">
      <thead>
        <tr>
          <th />
          {sides.map((s) => (
            <th key={s.key} data-testid={`review-${s.key}`}>
              <a href={`#/customers/${encodeURIComponent(s.id)}`}>{s.summary?.displayName ?? s.id}</a>
              <div className="muted small">
                {s.summary ? `${s.summary.stage} · ${t('customers.score')} ${s.summary.score}` : t('review.gone')}
              </div>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {identityTypes.map((type) => {
          const values = sides.map((s) => idValues(s, type));
          return (
            <tr key={`id-${type}`}>
              <td className="muted">{type}</td>
              {values.map((v, i) => (
                <td key={i} className={differs(values) ? 'mono differs' : 'mono'} data-differs={differs(values) || undefined}>
                  {v || '—'}
                </td>
              ))}
            </tr>
          );
        })}
        {attrKeys.map((k) => {
          const values = sides.map((s) => attrValue(s, k));
          return (
            <tr key={`attr-${k}`}>
              <td className="muted">{k}</td>
              {values.map((v, i) => (
                <td key={i} className={differs(values) ? 'differs' : ''} data-differs={differs(values) || undefined}>
                  {v || '—'}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
