import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from './api.client.js';
import { showValue, type CustomerDetail } from './customer-view.js';
import { useApi } from './use-api.hook.js';
import { Pager, useCursorPages } from './pager.js';
import { useCan } from './session.js';
import type { ReviewItem, ReviewPage } from '@tributary/customer-store';

/** Attributes compared side by side (the first ones present on either customer, these first). */
const MAIN_ATTRIBUTES = ['name', 'company', 'city', 'title', 'industry', 'channel', 'source'];

/** Which items the queue shows: all, or those a whole-store rematch (customer.rematch) queued. */
const FILTERS = ['', 'rematch'] as const;

interface DecisionsAnswer {
  results: { id: string; status: number; merge?: { targetId: string }; error?: { message: string } }[];
}

/**
 * The review queue: uncertain matches, the two customers side by side, and Merge / Keep separate,
 * one at a time or for the items ticked (POST /api/review/decisions); paged, and filtered to what
 * the store rematch found.
 */
export function ReviewPage({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const { t } = useTranslation();
  const canDecide = useCan('customers:write');
  const [rule, setRule] = useState<(typeof FILTERS)[number]>('');
  const [order, setOrder] = useState<'oldest' | 'score'>('oldest');
  const pages = useCursorPages();
  const query = new URLSearchParams({ status: 'pending', limit: '50' });
  if (rule) query.set('rule', rule);
  if (order !== 'oldest') query.set('order', order);
  if (pages.cursor) query.set('cursor', pages.cursor);
  const [page, reload] = useApi<ReviewPage>(`/api/review?${query}`, token, onUnauthorized);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string; customerId?: string }>();
  const [busy, setBusy] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const items = page.state === 'ok' ? page.value.items : [];
  const shown = items.filter((i) => selected.has(i.id));

  const decide = async (item: ReviewItem, decision: 'merge' | 'separate') => {
    setBusy(item.id);
    try {
      const res = await apiSend<{ merge?: { targetId: string } }>('POST', `/api/review/${encodeURIComponent(item.id)}`, token, { decision });
      setNotice({ kind: 'ok', text: t(decision === 'merge' ? 'review.merged' : 'review.separated'), customerId: res.merge?.targetId });
      setSelected((s) => new Set([...s].filter((id) => id !== item.id)));
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const decideSelected = async (decision: 'merge' | 'separate') => {
    if (shown.length === 0) return;
    setBusy('selected');
    try {
      const res = await apiSend<DecisionsAnswer>('POST', '/api/review/decisions', token, { decisions: shown.map((i) => ({ id: i.id, decision })) });
      const failed = res.results.filter((r) => r.status !== 200);
      const done = res.results.length - failed.length;
      const text = t(decision === 'merge' ? 'review.mergedMany' : 'review.separatedMany', { count: done });
      setNotice(
        failed.length
          ? { kind: 'error', text: `${text} ${t('review.failedMany', { count: failed.length })} ${failed.map((f) => f.error?.message ?? f.status).join('; ')}` }
          : { kind: 'ok', text },
      );
      setSelected(new Set());
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allTicked = items.length > 0 && shown.length === items.length;

  return (
    <div className="list-page" data-testid="review-page">
      <div className="page-header">
        <h1>{t('nav.review')}</h1>
        <span className="spacer" />
        <select
          value={order}
          onChange={(e) => {
            setOrder(e.target.value as 'oldest' | 'score');
            setSelected(new Set());
            pages.reset();
          }}
          className="review-filter"
          data-testid="review-order"
        >
          <option value="oldest">{t('review.order.oldest')}</option>
          <option value="score">{t('review.order.score')}</option>
        </select>
        <select
          value={rule}
          onChange={(e) => {
            setRule(e.target.value as (typeof FILTERS)[number]);
            setSelected(new Set());
            pages.reset();
          }}
          className="review-filter"
          data-testid="review-filter"
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {t(f ? `review.filter.${f}` : 'review.filter.all')}
            </option>
          ))}
        </select>
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
      {canDecide && items.length > 0 ? (
        <div className="review-bulk" data-testid="review-bulk">
          <label className="small">
            <input
              type="checkbox"
              checked={allTicked}
              onChange={() => setSelected(allTicked ? new Set() : new Set(items.map((i) => i.id)))}
              data-testid="review-select-all"
            />{' '}
            {t('review.selectAll')}
          </label>
          <span className="muted small" data-testid="review-selected-count">
            {t('review.selectedCount', { count: shown.length })}
          </span>
          <button className="btn primary" disabled={busy !== undefined || shown.length === 0} onClick={() => void decideSelected('merge')} data-testid="review-merge-selected">
            {t('review.mergeSelected')}
          </button>
          <button className="btn" disabled={busy !== undefined || shown.length === 0} onClick={() => void decideSelected('separate')} data-testid="review-separate-selected">
            {t('review.separateSelected')}
          </button>
        </div>
      ) : null}
      {page.state === 'loading' ? <p className="muted">{t('app.loading')}</p> : null}
      {page.state === 'error' ? <p className="error">{page.message}</p> : null}
      {page.state === 'ok' && page.value.items.length === 0 ? (
        <p className="empty muted" data-testid="review-empty">
          {t('review.empty')}
        </p>
      ) : null}
      {items.map((item) => (
        <section key={item.id} className="card review-item" data-testid={`review-item-${item.id}`}>
          <div className="review-head">
            {canDecide ? (
              <input type="checkbox" checked={selected.has(item.id)} onChange={() => toggle(item.id)} aria-label={t('review.select')} data-testid={`review-select-${item.id}`} />
            ) : null}
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
      ))}
      {page.state === 'ok' ? <Pager pages={pages} nextCursor={page.value.nextCursor} /> : null}
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
