import { useTranslation } from 'react-i18next';
import { useApi } from './use-api.hook.js';
import { LoadStatus } from './load-status.js';
import { CustomerCells, CustomerListHead } from './customer-cells.js';
import { Pager, useCursorPages } from './pager.js';
import type { SegmentMemberPage, SegmentView } from '@tributary/customer-store';

/** Saved segments with their member counts (read-only); `#/segments/<id>` lists the members. */
export function SegmentsPage({ segmentId, token, onUnauthorized }: { segmentId?: string; token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const [segments] = useApi<{ items: SegmentView[] }>('/api/segments', token, onUnauthorized);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  return (
    <div className="list-page" data-testid="segments-page">
      <div className="page-header">
        <h1>{t('nav.segments')}</h1>
      </div>
      <LoadStatus load={segments} empty={t('segments.empty')} />
      {segments.state === 'ok' && segments.value.items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('segments.name')}</th>
              <th>{t('segments.members')}</th>
              <th>{t('segments.evaluated')}</th>
            </tr>
          </thead>
          <tbody>
            {segments.value.items.map((s) => (
              <tr key={s.id} className={s.id === segmentId ? 'selected' : ''} data-testid={`segment-row-${s.id}`}>
                <td>
                  <a href={`#/segments/${encodeURIComponent(s.id)}`}>{s.name}</a>
                  {s.enabled ? null : <span className="pill">{t('segments.disabled')}</span>}
                  {s.description ? <div className="muted small">{s.description}</div> : null}
                </td>
                <td data-testid={`segment-count-${s.id}`}>{s.memberCount}</td>
                <td className="muted">{when(s.evaluatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {segmentId ? <SegmentMembers key={segmentId} segmentId={segmentId} token={token} onUnauthorized={onUnauthorized} /> : null}
    </div>
  );
}

function SegmentMembers({ segmentId, token, onUnauthorized }: { segmentId: string; token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const pages = useCursorPages();
  const q = new URLSearchParams({ limit: '50' });
  if (pages.cursor) q.set('cursor', pages.cursor);
  const [members] = useApi<SegmentMemberPage>(`/api/segments/${encodeURIComponent(segmentId)}/members?${q}`, token, onUnauthorized);
  return (
    <section className="segment-members" data-testid="segment-members">
      <h2>{t('segments.membersOf', { id: segmentId })}</h2>
      <LoadStatus load={members} empty={t('segments.noMembers')} />
      {members.state === 'ok' && members.value.items.length ? (
        <>
          <table className="table">
            <thead>
              <CustomerListHead last={t('segments.entered')} />
            </thead>
            <tbody>
              {members.value.items.map((m) => (
                <tr key={m.customerId} data-testid={`segment-member-${m.customerId}`}>
                  <CustomerCells customer={{ ...m, id: m.customerId }} />
                  <td className="muted">{new Date(m.enteredAt).toLocaleString(i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pages={pages} nextCursor={members.value.nextCursor} />
        </>
      ) : null}
    </section>
  );
}
